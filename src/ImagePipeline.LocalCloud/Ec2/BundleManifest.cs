namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>What RegisterImage takes from a 2007-10-10 bundle manifest.</summary>
internal sealed record BundleManifest(
    string Name,
    string User,
    string Architecture,
    IReadOnlyList<(string Virtual, string Device)> Mappings,
    string? KernelId,
    string? RamdiskId,
    IReadOnlyList<string> PartFileNames,
    IReadOnlyList<string> PartDigests,
    long BundledSize);
