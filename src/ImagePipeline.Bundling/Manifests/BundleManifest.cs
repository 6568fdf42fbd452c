namespace ImagePipeline.Bundling.Manifests;

/// <summary>The content of a NAME.manifest.xml (version 2007-10-10), without its signature.</summary>
internal sealed record BundleManifest
{
    public required string Architecture { get; init; }

    /// <summary>virtual name → device; written sorted by virtual name.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> BlockDeviceMappings { get; init; } = [];

    public string? KernelId { get; init; }

    public string? RamdiskId { get; init; }

    public IReadOnlyList<string> ProductCodes { get; init; } = [];

    public required string Name { get; init; }

    public required string User { get; init; }

    public required string ImageType { get; init; }

    public IReadOnlyList<string> AncestorAmiIds { get; init; } = [];

    public required string TarDigestSha1 { get; init; }

    public required long Size { get; init; }

    public required long BundledSize { get; init; }

    public required string Ec2EncryptedKey { get; init; }

    public required string UserEncryptedKey { get; init; }

    public required string Ec2EncryptedIv { get; init; }

    public required string UserEncryptedIv { get; init; }

    /// <summary>The part count as the <c>parts count</c> attribute says it.</summary>
    public required int DeclaredPartCount { get; init; }

    public required IReadOnlyList<ManifestPart> Parts { get; init; }
}
