namespace ImagePipeline.LocalCloud.Storage;

/// <summary>A VPC security group with its ingress and egress rules.</summary>
public sealed class SecurityGroupRecord
{
    public required string GroupId { get; set; }
    public required string GroupName { get; set; }
    public required string Description { get; set; }
    public required string VpcId { get; set; }
    public required string OwnerAccountId { get; set; }
    public List<SecurityGroupRuleRecord> Ingress { get; set; } = [];
    public List<SecurityGroupRuleRecord> Egress { get; set; } = [];
    public List<Tag> Tags { get; set; } = [];
}

/// <summary>
/// One rule, one peer: a CIDR or another group. EC2 answers rules grouped by protocol and ports, each with its
/// peers; keeping one peer per rule is what makes a duplicate easy to spot.
/// </summary>
public sealed record SecurityGroupRuleRecord(string IpProtocol, int? FromPort, int? ToPort, string? CidrIp, string? SourceGroupId, string? Description);
