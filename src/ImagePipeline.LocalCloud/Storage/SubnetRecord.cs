namespace ImagePipeline.LocalCloud.Storage;

/// <summary>A subnet in one availability zone; the default VPC has one default subnet per zone.</summary>
public sealed class SubnetRecord
{
    public required string SubnetId { get; set; }
    public required string VpcId { get; set; }
    public required string OwnerAccountId { get; set; }
    public required string AvailabilityZone { get; set; }
    public required string CidrBlock { get; set; }
    public bool DefaultForAz { get; set; }
    public bool MapPublicIpOnLaunch { get; set; }

    /// <summary>How many addresses were handed out, so each instance gets its own private IP.</summary>
    public int AddressesUsed { get; set; }

    public List<Tag> Tags { get; set; } = [];
}
