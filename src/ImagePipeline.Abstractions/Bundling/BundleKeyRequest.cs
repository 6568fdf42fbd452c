namespace ImagePipeline.Abstractions;

/// <summary>A bundle to open: its manifest (parts beside it) and the user's key that can decrypt it.</summary>
public sealed record BundleKeyRequest
{
    public required string ManifestPath { get; init; }

    public required string PrivateKeyPath { get; init; }

    public string? PrivateKeyPassphrase { get; init; }

    /// <summary>The certificate to check the signature against; without it the signature is checked against the key's public half.</summary>
    public string? UserCertificatePath { get; init; }
}
