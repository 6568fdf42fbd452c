namespace ImagePipeline.Abstractions;

/// <summary>
/// A part file that is complete and flushed to disk while the bundle is still being written, so it can be uploaded at
/// once: its final name, size, SHA-1 (lowercase hex, for the manifest) and MD5 (base64, for S3's Content-MD5).
/// </summary>
public sealed record StreamedBundlePart(int Index, string FileName, string Path, long Size, string Sha1Hex, string Md5Base64);
