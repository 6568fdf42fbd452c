namespace ImagePipeline.LocalCloud.Storage;

/// <summary>An EBS volume (always attached to the instance it came with).</summary>
public sealed class VolumeRecord
{
    public required string VolumeId { get; set; }
    public required string Region { get; set; }
    public int Size { get; set; }
    public string VolumeType { get; set; } = "gp3";
    public string? SnapshotId { get; set; }
    public string AvailabilityZone { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string? InstanceId { get; set; }
    public string? Device { get; set; }
    public bool DeleteOnTermination { get; set; } = true;
    public bool Encrypted { get; set; }
    public bool Deleted { get; set; }
    public string OwnerAccountId { get; set; } = LocalCloudAccounts.AccountId;
    public List<Tag> Tags { get; set; } = [];

    /// <summary>Until when a volume CreateVolume made is <c>creating</c>; null for volumes a launch made.</summary>
    public DateTimeOffset? AvailableAt { get; set; }

    /// <summary>The blob holding a CreateVolume volume's bytes (sparse, its size); null for volumes a launch made, which hold no data here.</summary>
    public string? BlobName { get; set; }
}
