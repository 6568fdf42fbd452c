namespace ImagePipeline.Abstractions;

/// <summary>One encrypted part file of a bundle.</summary>
public sealed record BundlePart(int Index, string FileName, string Path, long Size, string Sha1Hex);
