using ImagePipeline.VolumeBundler.Mounts;

namespace ImagePipeline.VolumeBundler.Copying;

/// <summary>What to copy from the volume into the image, and what to leave out (all paths absolute and normalised).</summary>
internal sealed record VolumeCopyPlan
{
    public required string SourceRoot { get; init; }

    public required string TargetRoot { get; init; }

    /// <summary>Left out entirely: --exclude, the bundle destination, the image's temporary mount point.</summary>
    public required IReadOnlySet<string> Excluded { get; init; }

    /// <summary>Left out but recreated empty, with the source's owner, mode and times: dev, media, mnt, proc, sys.</summary>
    public required IReadOnlySet<string> RecreatedEmpty { get; init; }

    public required MountTable Mounts { get; init; }

    /// <summary>--all: copy file systems of every type mounted under the volume, not only local ones.</summary>
    public required bool AllMounts { get; init; }

    public required SecurityFilter Filter { get; init; }
}
