namespace ImagePipeline.Abstractions;

/// <summary>What a successful verification checked.</summary>
public sealed record BundleVerification(
    string Name,
    string Architecture,
    string AccountId,
    long ImageSize,
    long BundledSize,
    int PartCount,
    string TarDigestSha1);
