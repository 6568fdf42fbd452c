using System.Security.Cryptography;

namespace ImagePipeline.Strategies.InstanceStore.Uploads;

/// <summary>The MD5 of a file, as S3 wants it in Content-MD5 (base64) and reports it in an ETag (hex).</summary>
public sealed record PartDigest(string Hex, string Base64)
{
    public static async Task<PartDigest> OfFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
        var hash = await MD5.HashDataAsync(stream, cancellationToken);
        return new PartDigest(Convert.ToHexStringLower(hash), Convert.ToBase64String(hash));
    }

    /// <summary>True when an object's ETag shows these bytes (single-part uploads only: a multipart ETag has a dash and never matches).</summary>
    public bool MatchesETag(string? etag) => string.Equals(etag?.Trim('"'), Hex, StringComparison.OrdinalIgnoreCase);
}
