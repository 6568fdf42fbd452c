namespace ImagePipeline.LocalCloud.S3;

/// <summary>An uploaded body, decoded and checked, waiting in a temp file.</summary>
internal sealed record S3Payload(string TempPath, long Size, byte[] Md5, IReadOnlyDictionary<string, string> Checksums);
