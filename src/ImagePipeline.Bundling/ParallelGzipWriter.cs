using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Threading.Channels;

namespace ImagePipeline.Bundling;

/// <summary>
/// Writes ONE gzip member to <c>output</c>, compressing fixed-size chunks at level 9 on dedicated threads (one per core)
/// and stitching them in order (see <see cref="DeflateChunkCompressor"/>). Memory stays bounded: at most a few chunks
/// are in flight, because the channel of pending chunks is bounded and the writer waits when it is full.
/// </summary>
internal sealed class ParallelGzipWriter : IAsyncDisposable
{
    /// <summary>
    /// Big enough that losing the 32 KiB dictionary at each chunk start costs well under 1% of output, and small enough
    /// that the compressed bound still fits a 2 MiB pool bucket.
    /// </summary>
    public const int DefaultChunkSize = (2 * 1024 * 1024) - (64 * 1024);

    private readonly Stream _output;
    private readonly int _chunkSize;
    private readonly int _compressionLevel;
    private readonly ArrayPool<byte> _pool;
    private readonly Channel<Task<CompressedChunk>> _pending;

    // Compression runs on its own threads rather than the thread pool, so that long CPU-bound deflate calls neither
    // starve nor wait behind the async reading and writing around them.
    private readonly BlockingCollection<CompressionJob> _jobs = new();
    private readonly Task[] _compressors;
    private readonly Task _writerTask;
    private readonly CancellationTokenSource _abort;
    private readonly Crc32 _crc = new();
    private byte[] _current;
    private int _currentLength;
    private long _totalLength;
    private bool _completed;

    public ParallelGzipWriter(Stream output, int parallelism, CancellationToken cancellationToken, int chunkSize = DefaultChunkSize, int compressionLevel = 9)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        _output = output;
        _chunkSize = chunkSize;
        _compressionLevel = compressionLevel;
        // Several chunks per compressor are queued so that, on a busy machine, compressors keep working while the
        // reader or writer waits to be scheduled; 4 per core bounds memory to about 16 MiB of buffers per core.
        var inFlight = parallelism * 4;
        _pool = ArrayPool<byte>.Create(DeflateChunkCompressor.MaxCompressedLength(chunkSize), (inFlight * 2) + 4);
        _pending = Channel.CreateBounded<Task<CompressedChunk>>(new BoundedChannelOptions(inFlight)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        _abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _current = _pool.Rent(_chunkSize);
        _compressors = new Task[parallelism];
        for (var index = 0; index < parallelism; index++)
        {
            var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _compressors[index] = exited.Task;
            new Thread(() => CompressJobs(exited)) { IsBackground = true, Name = $"gzip-deflate-{index}" }.Start();
        }

        _writerTask = Task.Run(() => WriteCompressedChunksInOrderAsync(_abort.Token), CancellationToken.None);
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var take = Math.Min(_chunkSize - _currentLength, data.Length);
            data.Span[..take].CopyTo(_current.AsSpan(_currentLength));
            _currentLength += take;
            data = data[take..];
            if (_currentLength == _chunkSize)
            {
                await DispatchCurrentChunkAsync(isFinal: false, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Compresses what is left, waits for all chunks and writes the gzip trailer.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await DispatchCurrentChunkAsync(isFinal: true, cancellationToken).ConfigureAwait(false);
        _completed = true;
        _pending.Writer.Complete();
        _jobs.CompleteAdding();
        await _writerTask.ConfigureAwait(false);
        await _output.WriteAsync(GzipFraming.Trailer(_crc.GetCurrentHashAsUInt32(), _totalLength), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            // Abandoned (an error upstream): stop the writer, let the compressors drop what is queued, and wait for both.
            _pending.Writer.TryComplete();
            await _abort.CancelAsync().ConfigureAwait(false);
            try
            {
                await _writerTask.ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The error that made us abandon the stream is already propagating; this one would mask it.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        _jobs.CompleteAdding();
        await Task.WhenAll(_compressors).ConfigureAwait(false);
        _jobs.Dispose();
        _abort.Dispose();
    }

    private async ValueTask DispatchCurrentChunkAsync(bool isFinal, CancellationToken cancellationToken)
    {
        var chunk = _current;
        var length = _currentLength;
        _crc.Append(chunk.AsSpan(0, length));
        _totalLength += length;
        var job = new CompressionJob(chunk, length, isFinal, new TaskCompletionSource<CompressedChunk>(TaskCreationOptions.RunContinuationsAsynchronously));
        _jobs.Add(job, cancellationToken);
        _current = isFinal ? [] : _pool.Rent(_chunkSize);
        _currentLength = 0;
        try
        {
            await _pending.Writer.WriteAsync(job.Result.Task, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // The writer failed; surface its error rather than the closed channel.
            await _writerTask.ConfigureAwait(false);
            throw;
        }
    }

    private void CompressJobs(TaskCompletionSource exited)
    {
        try
        {
            foreach (var job in _jobs.GetConsumingEnumerable())
            {
                try
                {
                    if (_abort.IsCancellationRequested)
                    {
                        job.Result.TrySetCanceled();
                        continue;
                    }

                    job.Result.TrySetResult(DeflateChunkCompressor.Compress(job.Input.AsMemory(0, job.Length), job.IsFinal, _pool, _compressionLevel));
                }
#pragma warning disable CA1031 // Handed to the writer, which rethrows it in order.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    job.Result.TrySetException(ex);
                }
                finally
                {
                    _pool.Return(job.Input);
                }
            }
        }
        finally
        {
            exited.SetResult();
        }
    }

    private async Task WriteCompressedChunksInOrderAsync(CancellationToken cancellationToken)
    {
        var headerWritten = false;
        try
        {
            await foreach (var compression in _pending.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!headerWritten)
                {
                    await _output.WriteAsync(GzipFraming.Header.ToArray(), cancellationToken).ConfigureAwait(false);
                    headerWritten = true;
                }

                var compressed = await compression.ConfigureAwait(false);
                try
                {
                    await _output.WriteAsync(compressed.Buffer.AsMemory(0, compressed.Length), cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _pool.Return(compressed.Buffer);
                }
            }
        }
        catch
        {
            // Stop the producer: its next WriteAsync on the channel fails and surfaces this error.
            _pending.Writer.TryComplete();
            throw;
        }
    }

    /// <summary>One chunk to compress; <see cref="Input"/> is pooled and returned once compressed.</summary>
    private sealed record CompressionJob(byte[] Input, int Length, bool IsFinal, TaskCompletionSource<CompressedChunk> Result);
}
