namespace ImagePipeline.Abstractions;

/// <summary>What to bundle and how. Paths are to PEM files; the passphrase is a secret and is never logged.</summary>
public sealed record BundleRequest
{
    public required string ImagePath { get; init; }

    public required string UserCertificatePath { get; init; }

    /// <summary>The user's RSA private key: PEM, PKCS#1 or PKCS#8, encrypted or not.</summary>
    public required string PrivateKeyPath { get; init; }

    public string? PrivateKeyPassphrase { get; init; }

    /// <summary>The EC2 certificate of the target partition (cert-ec2.pem), whose key EC2 uses to open the bundle.</summary>
    public required string Ec2CertificatePath { get; init; }

    /// <summary>The AWS account id; dashes are allowed and stripped.</summary>
    public required string AccountId { get; init; }

    /// <summary>x86_64, arm64 or i386.</summary>
    public required string Architecture { get; init; }

    /// <summary>The bundle's name (file prefix); defaults to the image file's name.</summary>
    public string? Name { get; init; }

    public required string DestinationDirectory { get; init; }

    /// <summary>virtual name → device, for example ami → sda1, root → /dev/sda1.</summary>
    public IReadOnlyDictionary<string, string> BlockDeviceMappings { get; init; } = new Dictionary<string, string>();

    public string? KernelId { get; init; }

    public string? RamdiskId { get; init; }

    public IReadOnlyList<string> ProductCodes { get; init; } = [];

    public IReadOnlyList<string> AncestorAmiIds { get; init; } = [];

    /// <summary>machine, kernel or ramdisk.</summary>
    public string ImageType { get; init; } = "machine";

    /// <summary>
    /// When set, each part gets its final name as soon as it is written (indexes padded to the digits of the largest
    /// part count the image could need), is flushed to disk and handed to this callback (on a bundling thread), so it
    /// can be uploaded while the rest is bundled. The manifest still comes last.
    /// </summary>
    public Action<StreamedBundlePart>? PartFinished { get; init; }
}
