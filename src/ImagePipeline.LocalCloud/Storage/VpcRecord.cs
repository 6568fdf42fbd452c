namespace ImagePipeline.LocalCloud.Storage;

/// <summary>A VPC; every account starts with a default one in each region.</summary>
public sealed class VpcRecord
{
    public required string VpcId { get; set; }
    public required string OwnerAccountId { get; set; }
    public required string CidrBlock { get; set; }
    public bool IsDefault { get; set; }
    public List<Tag> Tags { get; set; } = [];
}
