namespace ImagePipeline.VolumeBundler.Imaging;

/// <summary>The file-system type, label and UUID of the volume, kept in the image as ec2-bundle-vol keeps them.</summary>
internal sealed record FileSystemIdentity(string Type, string? Label, string? Uuid)
{
    /// <summary>The types the image can be made with; another type is imaged as ext4.</summary>
    public static readonly IReadOnlySet<string> Supported = new HashSet<string>(StringComparer.Ordinal) { "ext2", "ext3", "ext4", "xfs" };
}
