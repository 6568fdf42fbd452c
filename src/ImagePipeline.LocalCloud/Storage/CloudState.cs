namespace ImagePipeline.LocalCloud.Storage;

/// <summary>The whole persisted state: S3 is global, EC2/SSM are per region.</summary>
public sealed class CloudState
{
    public SortedDictionary<string, BucketRecord> Buckets { get; set; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, RegionState> Regions { get; set; } = new(StringComparer.Ordinal);
}
