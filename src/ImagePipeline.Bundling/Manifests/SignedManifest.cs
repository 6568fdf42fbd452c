namespace ImagePipeline.Bundling.Manifests;

/// <summary>
/// A manifest as read for checking: its values, the exact text the signature covers, and the signature. The values are
/// parsed from <see cref="SignedText"/> itself, so what is verified is what is used.
/// </summary>
internal sealed record SignedManifest(BundleManifest Manifest, string SignedText, string Signature);
