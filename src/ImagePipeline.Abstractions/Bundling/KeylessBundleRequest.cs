namespace ImagePipeline.Abstractions;

/// <summary>
/// What to bundle, without what signing needs: the image, the two public certificates the bundle key is encrypted for,
/// where the parts go, and the machine configuration the manifest carries. Enough to bundle where the user's private key
/// is not (the manifest is then written and signed by <see cref="IManifestSealer"/> on the machine that holds the key);
/// <see cref="BundleRequest"/> adds the key and the account, to bundle and sign in one go.
/// </summary>
public record KeylessBundleRequest
{
    public required string ImagePath { get; init; }

    public required string UserCertificatePath { get; init; }

    /// <summary>The EC2 certificate of the target partition (cert-ec2.pem), whose key EC2 uses to open the bundle.</summary>
    public required string Ec2CertificatePath { get; init; }

    /// <summary>x86_64, arm64 or i386.</summary>
    public required string Architecture { get; init; }

    /// <summary>The bundle's name (file prefix and tar entry name); defaults to the image file's name.</summary>
    public string? Name { get; init; }

    public required string DestinationDirectory { get; init; }

    /// <summary>virtual name → device, for example ami → sda1, root → /dev/sda1.</summary>
    public IReadOnlyDictionary<string, string> BlockDeviceMappings { get; init; } = new Dictionary<string, string>();

    public string? KernelId { get; init; }

    public string? RamdiskId { get; init; }

    /// <summary>machine, kernel or ramdisk.</summary>
    public string ImageType { get; init; } = "machine";
}
