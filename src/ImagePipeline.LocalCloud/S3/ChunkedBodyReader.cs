using System.Text;
using ImagePipeline.LocalCloud.Routing;

namespace ImagePipeline.LocalCloud.S3;

/// <summary>
/// Decodes an aws-chunked body (<c>SIZE;chunk-signature=SIG\r\nDATA\r\n</c>… <c>0…\r\n</c> then optional trailer lines
/// and a blank line), which the .NET SDK sends for PutObject/UploadPart over plain HTTP.
/// </summary>
internal sealed class ChunkedBodyReader(Stream source, ChunkSigningContext? signing = null)
{
    private static readonly string EmptyHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([]));
    private string? _previousSignature = signing?.SeedSignature;

    private readonly byte[] _buffer = new byte[81920];
    private int _start;
    private int _end;

    /// <summary>Trailer headers that followed the last chunk (x-amz-checksum-crc32…).</summary>
    public Dictionary<string, string> Trailers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Copies the decoded data to <paramref name="sink"/> and returns its length.</summary>
    public async Task<long> CopyDecodedAsync(Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> sink, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            var header = await ReadLineAsync(cancellationToken) ?? throw IncompleteBody();
            var headerParts = header.Split(';', 2);
            var sizeText = headerParts[0].Trim();
            var chunkSignature = headerParts.Length > 1 && headerParts[1].Trim().StartsWith("chunk-signature=", StringComparison.Ordinal)
                ? headerParts[1].Trim()["chunk-signature=".Length..]
                : null;
            using var chunkHash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            if (sizeText.Length == 0 || !long.TryParse(sizeText, System.Globalization.NumberStyles.HexNumber, null, out var size) || size < 0)
            {
                throw new AwsServiceException(400, "InvalidChunkSizeError", "Only the last chunk is allowed to have a size less than 8192 bytes");
            }

            if (size == 0)
            {
                VerifyChunk(chunkSignature, chunkHash);
                await ReadTrailersAsync(cancellationToken);
                return total;
            }

            var remaining = size;
            while (remaining > 0)
            {
                if (_start == _end && !await FillAsync(cancellationToken))
                {
                    throw IncompleteBody();
                }

                var take = (int)Math.Min(remaining, _end - _start);
                chunkHash.AppendData(_buffer, _start, take);
                await sink(_buffer.AsMemory(_start, take), cancellationToken);
                _start += take;
                remaining -= take;
            }

            VerifyChunk(chunkSignature, chunkHash);
            total += size;
            var terminator = await ReadLineAsync(cancellationToken);
            if (terminator is null || terminator.Length != 0)
            {
                throw IncompleteBody();
            }
        }
    }

    /// <summary>Each chunk signs the previous signature and its data's SHA-256, chaining from the header signature.</summary>
    private void VerifyChunk(string? chunkSignature, System.Security.Cryptography.IncrementalHash chunkHash)
    {
        if (signing is null)
        {
            return;
        }

        var dataHash = Convert.ToHexStringLower(chunkHash.GetHashAndReset());
        var stringToSign = $"AWS4-HMAC-SHA256-PAYLOAD\n{signing.AmzDate}\n{signing.Scope}\n{_previousSignature}\n{EmptyHash}\n{dataHash}";
        var expected = Convert.ToHexStringLower(SigV4Verifier.Hmac(signing.SigningKey, stringToSign));
        if (chunkSignature is null || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(chunkSignature)))
        {
            throw new AwsServiceException(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
        }

        _previousSignature = expected;
    }

    /// <summary>The trailer signature covers the trailer lines ("name:value\n"), chained from the last chunk signature.</summary>
    private void VerifyTrailer()
    {
        if (signing is null)
        {
            return;
        }

        var claimed = Trailers.GetValueOrDefault("x-amz-trailer-signature");
        var canonical = string.Concat(Trailers.Where(t => !t.Key.Equals("x-amz-trailer-signature", StringComparison.OrdinalIgnoreCase)).Select(t => $"{t.Key.ToLowerInvariant()}:{t.Value}\n"));
        var stringToSign = $"AWS4-HMAC-SHA256-TRAILER\n{signing.AmzDate}\n{signing.Scope}\n{_previousSignature}\n{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var expected = Convert.ToHexStringLower(SigV4Verifier.Hmac(signing.SigningKey, stringToSign));
        if (claimed is null || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(claimed)))
        {
            throw new AwsServiceException(403, "SignatureDoesNotMatch", "The trailer signature we calculated does not match the signature you provided.");
        }
    }

    private async Task ReadTrailersAsync(CancellationToken cancellationToken)
    {
        while (await ReadLineAsync(cancellationToken) is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new AwsServiceException(400, "MalformedTrailerError", "The request contained trailing data that was not well-formed or did not conform to our published schema.");
            }

            Trailers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        if (Trailers.Count > 0)
        {
            VerifyTrailer();
        }
    }

    private static AwsServiceException IncompleteBody() =>
        new(400, "IncompleteBody", "The request body terminated unexpectedly");

    /// <summary>One CRLF-terminated line without the CRLF; null at end of stream.</summary>
    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                return line.Length == 0 ? null : line.ToString();
            }

            var b = _buffer[_start++];
            if (b == '\n')
            {
                if (line.Length > 0 && line[^1] == '\r')
                {
                    line.Length--;
                }

                return line.ToString();
            }

            if (line.Length > 4096)
            {
                throw IncompleteBody();
            }

            line.Append((char)b);
        }
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await source.ReadAsync(_buffer, cancellationToken);
        return _end > 0;
    }
}
