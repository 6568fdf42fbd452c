using System.Security.Cryptography;
using ImagePipeline.Abstractions;
using ImagePipeline.Bundling.Streams;

namespace ImagePipeline.Bundling.Parts;

/// <summary>
/// Reads the part files one after another as one stream. Each part is read whole and its SHA-1 checked before any of its
/// bytes are handed on, so a damaged part is reported by name rather than as a decryption or decompression error.
/// </summary>
internal sealed class VerifiedPartStream : ReadOnlyStream
{
    private readonly IReadOnlyList<(string Path, string Sha1Hex)> _parts;
    private byte[] _buffer = [];
    private int _bufferLength;
    private int _bufferPosition;
    private int _nextPart;

    public VerifiedPartStream(IReadOnlyList<(string Path, string Sha1Hex)> parts)
    {
        _parts = parts;
    }

    public override int Read(Span<byte> buffer)
    {
        while (_bufferPosition == _bufferLength)
        {
            if (_nextPart == _parts.Count)
            {
                return 0;
            }

            LoadPart(_parts[_nextPart++]);
        }

        var take = Math.Min(buffer.Length, _bufferLength - _bufferPosition);
        _buffer.AsSpan(_bufferPosition, take).CopyTo(buffer);
        _bufferPosition += take;
        return take;
    }

    // Part files are read with synchronous positional reads: on Linux file reads are synchronous underneath anyway,
    // and each part is read whole once, so an async hop per part buys nothing.
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    private void LoadPart((string Path, string Sha1Hex) part)
    {
        using var file = File.OpenHandle(part.Path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var length = RandomAccess.GetLength(file);
        if (length > int.MaxValue / 2)
        {
            throw new PipelineException($"The part '{Path.GetFileName(part.Path)}' is {length} bytes, far larger than a bundle part; the bundle is damaged, so bundle the image again.");
        }

        if (_buffer.Length < length)
        {
            _buffer = new byte[length];
        }

        var read = 0;
        while (read < length)
        {
            var got = RandomAccess.Read(file, _buffer.AsSpan(read, (int)length - read), read);
            if (got == 0)
            {
                break;
            }

            read += got;
        }

        var actual = Convert.ToHexStringLower(SHA1.HashData(_buffer.AsSpan(0, read)));
        if (!string.Equals(actual, part.Sha1Hex, StringComparison.OrdinalIgnoreCase))
        {
            throw new PipelineException($"The part '{Path.GetFileName(part.Path)}' is damaged: its SHA-1 does not match the manifest; copy or upload that part again, or bundle the image again.");
        }

        _bufferLength = read;
        _bufferPosition = 0;
    }
}
