namespace ImagePipeline.Abstractions;

/// <summary>
/// A bundle whose parts are written but whose manifest is not: everything the manifest holds except the account id,
/// the optional product codes and ancestry, and the signature, which the machine holding the private key adds
/// (<see cref="IManifestSealer"/>). Holds no secret: the bundle key and IV are here only encrypted for the two
/// certificates.
/// </summary>
public sealed record UnsignedBundle
{
    public required string Name { get; init; }

    public required string Architecture { get; init; }

    public IReadOnlyDictionary<string, string> BlockDeviceMappings { get; init; } = new Dictionary<string, string>();

    public string? KernelId { get; init; }

    public string? RamdiskId { get; init; }

    public string ImageType { get; init; } = "machine";

    /// <summary>SHA-1 of the uncompressed tar stream, lowercase hex.</summary>
    public required string TarDigestSha1 { get; init; }

    /// <summary>The image file's size in bytes.</summary>
    public required long ImageSize { get; init; }

    /// <summary>The sum of the part sizes.</summary>
    public required long BundledSize { get; init; }

    /// <summary>KEYHEX encrypted for the user's certificate (RSA PKCS#1 v1.5), hex.</summary>
    public required string UserEncryptedKey { get; init; }

    public required string UserEncryptedIv { get; init; }

    /// <summary>KEYHEX encrypted for the EC2 certificate, hex.</summary>
    public required string Ec2EncryptedKey { get; init; }

    public required string Ec2EncryptedIv { get; init; }

    public required IReadOnlyList<StreamedBundlePart> Parts { get; init; }
}
