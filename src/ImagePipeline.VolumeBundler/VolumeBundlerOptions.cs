using ImagePipeline.VolumeBundler.Imaging;

namespace ImagePipeline.VolumeBundler;

/// <summary>The volume bundler's parameters: ec2-bundle-vol's that are worth keeping, and public certificates only.</summary>
internal sealed record VolumeBundlerOptions
{
    /// <summary>ec2-bundle-vol's default and maximum image size: 10 GiB, the largest instance-store root.</summary>
    public const int MaximumSizeMegabytes = 10240;

    public const int MinimumSizeMegabytes = 16;

    public const string DefaultDestination = "/mnt/imagepipeline-bundle";

    public string Volume { get; init; } = "/";

    public int SizeMegabytes { get; init; } = MaximumSizeMegabytes;

    public IReadOnlyList<string> Excludes { get; init; } = [];

    public IReadOnlyList<string> Includes { get; init; } = [];

    public bool NoFilter { get; init; }

    public bool AllMounts { get; init; }

    public string? FstabPath { get; init; }

    public bool GenerateFstab { get; init; }

    public PartitionScheme Partition { get; init; } = PartitionScheme.None;

    public required string Architecture { get; init; }

    public string Prefix { get; init; } = "image";

    public string Destination { get; init; } = DefaultDestination;

    public IReadOnlyDictionary<string, string> BlockDeviceMappings { get; init; } = new Dictionary<string, string>();

    public string? KernelId { get; init; }

    public string? RamdiskId { get; init; }

    /// <summary>
    /// The block device (or a volume's file) to write the image onto instead of bundling it: an EBS volume attached to
    /// the instance. Null bundles. With it there are no certificates, no destination and no parts.
    /// </summary>
    public string? OutputDevice { get; init; }

    public required string UserCertificatePath { get; init; }

    public required string Ec2CertificatePath { get; init; }
}
