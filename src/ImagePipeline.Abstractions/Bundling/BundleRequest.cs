namespace ImagePipeline.Abstractions;

/// <summary>
/// What to bundle and how, signed in the same go: a <see cref="KeylessBundleRequest"/> plus the user's private key and
/// what the manifest says of the account. Paths are to PEM files; the passphrase is a secret and is never logged.
/// </summary>
public sealed record BundleRequest : KeylessBundleRequest
{
    /// <summary>The user's RSA private key: PEM, PKCS#1 or PKCS#8, encrypted or not.</summary>
    public required string PrivateKeyPath { get; init; }

    public string? PrivateKeyPassphrase { get; init; }

    /// <summary>The AWS account id; dashes are allowed and stripped.</summary>
    public required string AccountId { get; init; }

    public IReadOnlyList<string> ProductCodes { get; init; } = [];

    public IReadOnlyList<string> AncestorAmiIds { get; init; } = [];

    /// <summary>
    /// When set, each part gets its final name as soon as it is written (indexes padded to the digits of the largest
    /// part count the image could need), is flushed to disk and handed to this callback (on a bundling thread), so it
    /// can be uploaded while the rest is bundled. The manifest still comes last.
    /// </summary>
    public Action<StreamedBundlePart>? PartFinished { get; init; }
}
