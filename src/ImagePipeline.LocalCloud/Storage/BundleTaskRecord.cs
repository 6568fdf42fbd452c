namespace ImagePipeline.LocalCloud.Storage;

/// <summary>A BundleInstance task; pending → waiting-for-shutdown → bundling → storing → complete on its timeline.</summary>
public sealed class BundleTaskRecord
{
    public required string BundleId { get; set; }
    public required string Region { get; set; }
    public required string OwnerAccountId { get; set; }
    public required string InstanceId { get; set; }
    public required string Bucket { get; set; }
    public required string Prefix { get; set; }
    public string? UploadPolicy { get; set; }
    public DateTimeOffset StartTime { get; set; }
    public required StateTimeline Timeline { get; set; }

    /// <summary>Whether the manifest and parts have been written into the bucket.</summary>
    public bool BundleStored { get; set; }

    public string? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
}
