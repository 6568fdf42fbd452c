namespace ImagePipeline.LocalCloud.Storage;

/// <summary>Everything EC2 and SSM keep for one region.</summary>
public sealed class RegionState
{
    public bool Seeded { get; set; }
    public Dictionary<string, InstanceRecord> Instances { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, VolumeRecord> Volumes { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, SnapshotRecord> Snapshots { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, ImageRecord> Images { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, BundleTaskRecord> BundleTasks { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, CommandRecord> Commands { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, KeyPairRecord> KeyPairs { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, VpcRecord> Vpcs { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, SubnetRecord> Subnets { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, SecurityGroupRecord> SecurityGroups { get; set; } = new(StringComparer.Ordinal);

    /// <summary>ClientToken → the call it answered, so a retried RunInstances/CopyImage returns the first result.</summary>
    public Dictionary<string, ClientTokenRecord> ClientTokens { get; set; } = new(StringComparer.Ordinal);
}
