namespace ImagePipeline.LocalCloud.Storage;

/// <summary>An EBS snapshot; pending → completed on its timeline.</summary>
public sealed class SnapshotRecord
{
    public required string SnapshotId { get; set; }
    public required string Region { get; set; }
    public required string OwnerAccountId { get; set; }
    public string VolumeId { get; set; } = "vol-ffffffff";
    public int VolumeSize { get; set; }
    public string Description { get; set; } = "";
    public bool Encrypted { get; set; }
    public string? KmsKeyId { get; set; }
    public DateTimeOffset StartTime { get; set; }
    public DateTimeOffset CompletesAt { get; set; }
    public required StateTimeline Timeline { get; set; }
    public List<Tag> Tags { get; set; } = [];

    /// <summary>The blob holding the volume's bytes when the snapshot was taken; null when the volume held no data here.</summary>
    public string? BlobName { get; set; }
}
