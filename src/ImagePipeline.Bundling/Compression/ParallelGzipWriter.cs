using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Runtime.ExceptionServices;

namespace ImagePipeline.Bundling.Compression;

/// <summary>
/// Writes ONE gzip member to <c>output</c>, compressing fixed-size chunks (at the product's level, <see cref="ImageBundler.DefaultCompressionLevel"/>, unless
/// told otherwise) on one thread per core and writing
/// them in order from a writer thread (see <see cref="DeflateChunkCompressor"/> for how the chunks join up).
/// The stages are dedicated threads with blocking, bounded queues rather than thread-pool continuations: a chunk then
/// costs two thread wake-ups instead of several thread-pool hops, each of which, on a busy machine, waits for the
/// scheduler. Memory stays bounded: at most <c>4 × parallelism</c> chunks are in flight, and <see cref="Write"/>
/// blocks when that many are.
/// </summary>
internal sealed class ParallelGzipWriter : IDisposable
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
    private readonly BlockingCollection<Task<CompressedChunk>> _pending;
    private readonly BlockingCollection<CompressionJob> _jobs = new();
    private readonly Thread[] _compressors;
    private readonly Thread _writer;
    private readonly CancellationTokenSource _abort;
    private readonly Crc32 _crc = new();
    private ExceptionDispatchInfo? _writerError;
    private byte[] _current;
    private int _currentLength;
    private long _totalLength;
    private bool _stopped;

    public ParallelGzipWriter(Stream output, int parallelism, CancellationToken cancellationToken, int chunkSize = DefaultChunkSize, int compressionLevel = ImageBundler.DefaultCompressionLevel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        _output = output;
        _chunkSize = chunkSize;
        _compressionLevel = compressionLevel;

        // Several chunks per compressor are queued so that compressors keep working while the reader or the writer
        // waits to be scheduled; 4 per core bounds the buffers to about 16 MiB per core.
        var inFlight = parallelism * 4;
        _pool = ArrayPool<byte>.Create(DeflateChunkCompressor.MaxCompressedLength(chunkSize), (inFlight * 2) + 4);
        _pending = new BlockingCollection<Task<CompressedChunk>>(inFlight);
        _abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _current = _pool.Rent(_chunkSize);
        _compressors = new Thread[parallelism];
        for (var index = 0; index < parallelism; index++)
        {
            _compressors[index] = new Thread(CompressJobs) { IsBackground = true, Name = $"gzip-deflate-{index}" };
            _compressors[index].Start();
        }

        _writer = new Thread(WriteCompressedChunksInOrder) { IsBackground = true, Name = "gzip-writer" };
        _writer.Start();
    }

    /// <summary>Adds uncompressed bytes; blocks while the pipeline is full.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var take = Math.Min(_chunkSize - _currentLength, data.Length);
            data[..take].CopyTo(_current.AsSpan(_currentLength));
            _currentLength += take;
            data = data[take..];
            if (_currentLength == _chunkSize)
            {
                DispatchCurrentChunk(isFinal: false);
            }
        }
    }

    /// <summary>Compresses what is left, waits for all chunks to be written and writes the gzip trailer.</summary>
    public void Complete()
    {
        DispatchCurrentChunk(isFinal: true);
        _pending.CompleteAdding();
        StopThreads();
        _writerError?.Throw();
        _abort.Token.ThrowIfCancellationRequested();
        _output.Write(GzipFraming.Trailer(_crc.GetCurrentHashAsUInt32(), _totalLength));
    }

    public void Dispose()
    {
        if (!_stopped)
        {
            // Abandoned (an error upstream): the writer and the compressors drop what is queued and stop.
            _abort.Cancel();
            _pending.CompleteAdding();
            StopThreads();
        }

        _pending.Dispose();
        _jobs.Dispose();
        _abort.Dispose();
    }

    private void StopThreads()
    {
        _jobs.CompleteAdding();
        _writer.Join();
        foreach (var compressor in _compressors)
        {
            compressor.Join();
        }

        _stopped = true;
    }

    private void DispatchCurrentChunk(bool isFinal)
    {
        var chunk = _current;
        var length = _currentLength;
        _crc.Append(chunk.AsSpan(0, length));
        _totalLength += length;
        var job = new CompressionJob(chunk, length, isFinal, new TaskCompletionSource<CompressedChunk>(TaskCreationOptions.RunContinuationsAsynchronously));
        _current = isFinal ? [] : _pool.Rent(_chunkSize);
        _currentLength = 0;
        try
        {
            _pending.Add(job.Result.Task, _abort.Token);
        }
        catch (OperationCanceledException) when (_writerError is not null)
        {
            // The writer failed and stopped the pipeline; its error is the one to report.
            _writerError.Throw();
        }

        _jobs.Add(job);
    }

    private void CompressJobs()
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

    private void WriteCompressedChunksInOrder()
    {
        try
        {
            _output.Write(GzipFraming.Header);
            foreach (var compression in _pending.GetConsumingEnumerable(_abort.Token))
            {
                var compressed = compression.GetAwaiter().GetResult();
                try
                {
                    _output.Write(compressed.Buffer, 0, compressed.Length);
                }
                finally
                {
                    _pool.Return(compressed.Buffer);
                }
            }
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            // Cancelled or abandoned: whoever cancelled reports why.
        }
#pragma warning disable CA1031 // Kept and rethrown on the producer's thread; a thread must not die with it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _writerError = ExceptionDispatchInfo.Capture(ex);
            _abort.Cancel();
        }
    }

    /// <summary>One chunk to compress; <see cref="Input"/> is pooled and returned once compressed.</summary>
    private sealed record CompressionJob(byte[] Input, int Length, bool IsFinal, TaskCompletionSource<CompressedChunk> Result);
}
