using System.Security.Cryptography;
using ImagePipeline.LocalCloud.Routing;
using ImagePipeline.LocalCloud.Storage;
using Microsoft.AspNetCore.Http;

namespace ImagePipeline.LocalCloud.S3;

/// <summary>
/// Reads a PutObject/UploadPart body into a temp file and checks it the way S3 does: aws-chunked decoding and
/// x-amz-decoded-content-length, Content-MD5 (InvalidDigest/BadDigest), a hex x-amz-content-sha256
/// (XAmzContentSHA256Mismatch) and x-amz-checksum-* in headers or trailers (BadDigest).
/// </summary>
internal sealed class S3PayloadReader(StateStore store)
{
    private static readonly string[] ChecksumAlgorithms = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"];

    public async Task<S3Payload> ReadAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var contentSha256 = request.Headers["x-amz-content-sha256"].ToString();
        var streaming = contentSha256.StartsWith("STREAMING-", StringComparison.Ordinal);
        long? expectedLength;
        if (streaming)
        {
            if (!long.TryParse(request.Headers["x-amz-decoded-content-length"].ToString(), out var decoded))
            {
                throw new AwsServiceException(411, "MissingContentLength", "You must provide the Content-Length HTTP header.");
            }

            expectedLength = decoded;
        }
        else
        {
            expectedLength = request.ContentLength;
            if (expectedLength is null)
            {
                throw new AwsServiceException(411, "MissingContentLength", "You must provide the Content-Length HTTP header.");
            }
        }

        var expectedMd5 = ParseContentMd5(request.Headers.ContentMD5.ToString());
        var wanted = WantedChecksums(request);
        var hashers = wanted.ToDictionary(a => a, NewChecksum, StringComparer.OrdinalIgnoreCase);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var tempPath = store.NewTempPath();
        long size;
        Dictionary<string, string> trailers = new(StringComparer.OrdinalIgnoreCase);
        try
        {
            await using (var file = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                async ValueTask Sink(ReadOnlyMemory<byte> chunk, CancellationToken ct)
                {
                    md5.AppendData(chunk.Span);
                    sha256.AppendData(chunk.Span);
                    foreach (var hasher in hashers.Values)
                    {
                        hasher.Append(chunk.Span);
                    }

                    await file.WriteAsync(chunk, ct);
                }

                if (streaming)
                {
                    var reader = new ChunkedBodyReader(request.Body, ChunkSigningContext.Of(context));
                    size = await reader.CopyDecodedAsync(Sink, cancellationToken);
                    trailers = reader.Trailers;
                }
                else
                {
                    size = 0;
                    var buffer = new byte[81920];
                    int read;
                    while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
                    {
                        await Sink(buffer.AsMemory(0, read), cancellationToken);
                        size += read;
                    }
                }
            }

            if (size != expectedLength)
            {
                throw new AwsServiceException(400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header");
            }

            var actualMd5 = md5.GetHashAndReset();
            if (expectedMd5 is not null && !expectedMd5.AsSpan().SequenceEqual(actualMd5))
            {
                throw new AwsServiceException(400, "BadDigest", "The Content-MD5 you specified did not match what we received.")
                    .With("ExpectedDigest", Convert.ToHexStringLower(expectedMd5))
                    .With("CalculatedDigest", Convert.ToBase64String(actualMd5));
            }

            var actualSha256 = Convert.ToHexStringLower(sha256.GetHashAndReset());
            if (IsHexDigest(contentSha256) && !string.Equals(contentSha256, actualSha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new AwsServiceException(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.")
                    .With("ClientComputedContentSHA256", contentSha256)
                    .With("S3ComputedContentSHA256", actualSha256);
            }

            var checksums = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (algorithm, hasher) in hashers)
            {
                var header = "x-amz-checksum-" + algorithm.ToLowerInvariant();
                var claimed = trailers.GetValueOrDefault(header) ?? request.Headers[header].ToString();
                var actual = Convert.ToBase64String(hasher.Result());
                if (!string.IsNullOrEmpty(claimed) && claimed != actual)
                {
                    throw new AwsServiceException(400, "BadDigest", $"The {algorithm} you specified did not match the calculated checksum.");
                }

                checksums[header] = actual;
            }

            return new S3Payload(tempPath, size, actualMd5, checksums);
        }
        catch
        {
            File.Delete(tempPath);
            throw;
        }
    }

    /// <summary>Checks a Content-MD5 header for bodies that are read whole (DeleteObjects, the bucket settings).</summary>
    public static void CheckContentMd5(HttpContext context, byte[] body)
    {
        var expected = ParseContentMd5(context.Request.Headers.ContentMD5.ToString());
        if (expected is not null && !expected.AsSpan().SequenceEqual(MD5.HashData(body)))
        {
            throw new AwsServiceException(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
        }

        foreach (var algorithm in ChecksumAlgorithms)
        {
            var header = "x-amz-checksum-" + algorithm.ToLowerInvariant();
            var claimed = context.Request.Headers[header].ToString();
            if (claimed.Length == 0)
            {
                continue;
            }

            var hasher = NewChecksum(algorithm);
            hasher.Append(body);
            if (Convert.ToBase64String(hasher.Result()) != claimed)
            {
                throw new AwsServiceException(400, "BadDigest", $"The {algorithm} you specified did not match the calculated checksum.");
            }
        }
    }

    /// <summary>Whether the request carries Content-MD5 or any x-amz-checksum-* (S3's "checksum required" rule).</summary>
    public static bool HasIntegrityHeader(HttpContext context) =>
        context.Request.Headers.ContentMD5.Count > 0
        || ChecksumAlgorithms.Any(a => context.Request.Headers.ContainsKey("x-amz-checksum-" + a.ToLowerInvariant()));

    private static byte[]? ParseContentMd5(string header)
    {
        if (header.Length == 0)
        {
            return null;
        }

        var bytes = new byte[24];
        if (!Convert.TryFromBase64String(header, bytes, out var written) || written != 16)
        {
            throw new AwsServiceException(400, "InvalidDigest", "The Content-MD5 you specified was invalid.")
                .With("Content-MD5", header);
        }

        return bytes[..16];
    }

    private static List<string> WantedChecksums(HttpRequest request)
    {
        var wanted = new List<string>();
        var trailer = request.Headers["x-amz-trailer"].ToString();
        var sdkAlgorithm = request.Headers["x-amz-sdk-checksum-algorithm"].ToString();
        foreach (var algorithm in ChecksumAlgorithms)
        {
            var header = "x-amz-checksum-" + algorithm.ToLowerInvariant();
            if (request.Headers.ContainsKey(header)
                || trailer.Contains(header, StringComparison.OrdinalIgnoreCase)
                || string.Equals(sdkAlgorithm, algorithm, StringComparison.OrdinalIgnoreCase))
            {
                wanted.Add(algorithm);
            }
        }

        return wanted;
    }

    private static IChecksum NewChecksum(string algorithm) => algorithm switch
    {
        "SHA1" => new HashChecksum(HashAlgorithmName.SHA1),
        "SHA256" => new HashChecksum(HashAlgorithmName.SHA256),
        _ => new CrcChecksum(Crc.For(algorithm)!),
    };

    private static bool IsHexDigest(string value) => value.Length == 64 && value.All(Uri.IsHexDigit);

    private interface IChecksum
    {
        void Append(ReadOnlySpan<byte> data);
        byte[] Result();
    }

    private sealed class CrcChecksum(Crc crc) : IChecksum
    {
        public void Append(ReadOnlySpan<byte> data) => crc.Append(data);
        public byte[] Result() => crc.Result();
    }

    private sealed class HashChecksum(HashAlgorithmName name) : IChecksum
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(name);
        public void Append(ReadOnlySpan<byte> data) => _hash.AppendData(data);
        public byte[] Result() => _hash.GetHashAndReset();
    }
}
