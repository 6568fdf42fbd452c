namespace ImagePipeline.Abstractions;

/// <summary>A bundle to open: its manifest (parts beside it) and the user's key that can decrypt it.</summary>
public sealed record BundleKeyRequest
{
    public required string ManifestPath { get; init; }

    public required string PrivateKeyPath { get; init; }

    public string? PrivateKeyPassphrase { get; init; }

    /// <summary>The certificate to check the signature against; without it the signature is checked against the key's public half.</summary>
    public string? UserCertificatePath { get; init; }

    /// <summary>Whether unbundling may replace an existing file of the image's name; without it that is an input error, raised before any work.</summary>
    public bool Overwrite { get; init; }
}
