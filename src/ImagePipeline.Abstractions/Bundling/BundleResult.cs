namespace ImagePipeline.Abstractions;

/// <summary>A finished bundle on disk.</summary>
public sealed record BundleResult(
    string Name,
    string ManifestPath,
    IReadOnlyList<BundlePart> Parts,
    long ImageSize,
    long BundledSize,
    string TarDigestSha1);
