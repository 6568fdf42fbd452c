namespace ImagePipeline.Bundling.Manifests;

/// <summary>One <c>part</c> element of a manifest: its index, file name and SHA-1 (lowercase hex).</summary>
internal sealed record ManifestPart(int Index, string FileName, string Sha1Hex);
