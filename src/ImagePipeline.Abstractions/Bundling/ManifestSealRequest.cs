namespace ImagePipeline.Abstractions;

/// <summary>What the machine holding the private key adds to an <see cref="UnsignedBundle"/> to make its manifest.</summary>
public sealed record ManifestSealRequest
{
    /// <summary>The AWS account id; dashes are allowed and stripped.</summary>
    public required string AccountId { get; init; }

    /// <summary>The user's RSA private key: PEM, PKCS#1 or PKCS#8, encrypted or not.</summary>
    public required string PrivateKeyPath { get; init; }

    /// <summary>A secret; never logged.</summary>
    public string? PrivateKeyPassphrase { get; init; }

    public IReadOnlyList<string> ProductCodes { get; init; } = [];

    public IReadOnlyList<string> AncestorAmiIds { get; init; } = [];
}
