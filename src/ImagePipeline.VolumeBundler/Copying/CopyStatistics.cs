namespace ImagePipeline.VolumeBundler.Copying;

/// <summary>What a walk of the volume found (estimate) or copied.</summary>
internal sealed class CopyStatistics
{
    public long Bytes { get; set; }

    /// <summary>Space the entries take on the source file system, to check the image is big enough before copying.</summary>
    public long AllocatedBytes { get; set; }

    public int Directories { get; set; }

    public int Files { get; set; }

    public int HardLinks { get; set; }

    public int Symlinks { get; set; }

    public int Specials { get; set; }

    public int Filtered { get; set; }

    public int Excluded { get; set; }

    public int SkippedMounts { get; set; }
}
