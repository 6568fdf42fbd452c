using System.Diagnostics;

namespace ImagePipeline.LocalCloud.Faults;

/// <summary>
/// A link of a fixed bandwidth, shared by every request body read through it at once: each read books its bytes on one
/// timeline and waits until the link would have carried them. Wall-clock time, as <see cref="FaultKind.Latency"/>.
/// </summary>
internal sealed class BandwidthLimiter(long bytesPerSecond)
{
    private const int ChunkSize = 64 * 1024;
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _linkFreeAt;

    /// <summary>Wraps a request body so that it reads no faster than the link allows.</summary>
    public Stream Limit(Stream body) => new LimitedStream(body, this);

    private async ValueTask CarryAsync(int bytes, CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_gate)
        {
            var now = _clock.Elapsed;
            var start = _linkFreeAt > now ? _linkFreeAt : now;
            _linkFreeAt = start + TimeSpan.FromSeconds((double)bytes / bytesPerSecond);
            wait = _linkFreeAt - now;
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }
    }

    private sealed class LimitedStream(Stream inner, BandwidthLimiter link) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, ChunkSize)], cancellationToken);
            await link.CarryAsync(read, cancellationToken);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
