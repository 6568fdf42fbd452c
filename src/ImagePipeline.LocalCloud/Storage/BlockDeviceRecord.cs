namespace ImagePipeline.LocalCloud.Storage;

/// <summary>A block device of an instance (volume attached) or of an image (snapshot to restore, or ephemeral).</summary>
public sealed class BlockDeviceRecord
{
    public required string DeviceName { get; set; }
    public string? VolumeId { get; set; }
    public string? SnapshotId { get; set; }
    public int? VolumeSize { get; set; }
    public string? VolumeType { get; set; }
    public bool DeleteOnTermination { get; set; } = true;
    public bool? Encrypted { get; set; }
    public string? KmsKeyId { get; set; }

    /// <summary>ephemeral0… for instance-store devices.</summary>
    public string? VirtualName { get; set; }
}
