using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using ImagePipeline.Abstractions;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Strategies.InstanceStore.Uploads;

/// <summary>
/// Uploads parts as they are announced, several at once, while the bundle is still being written. A part whose upload
/// fails is logged and left to UploadBundle, which sends every part that is not in the bucket whole: a bad minute of S3
/// never throws away a bundle that is still being written (and that a resumed run can then upload without bundling again).
/// A failure no later attempt fixes (<see cref="PermanentUploadFailure"/>) stops the uploads and the bundling
/// (<see cref="WhileUploadingAsync{T}"/>) at once, with that error.
/// </summary>
public sealed class PartUploadQueue : IDisposable
{
    private readonly Channel<StreamedBundlePart> _parts = Channel.CreateUnbounded<StreamedBundlePart>();
    private readonly HashSet<int> _queued = [];
    private readonly CancellationTokenSource _stop;
    private readonly CancellationTokenSource _failed = new();
    private readonly Task _workers;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private long _firstUploadStarted;
    private long _bundlingEnded;
    private int _uploaded;
    private Exception? _permanentFailure;

    public PartUploadQueue(Func<StreamedBundlePart, CancellationToken, Task> upload, int concurrency, ILogger logger, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        _logger = logger;
        _timeProvider = timeProvider;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _workers = Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => WorkAsync(upload), CancellationToken.None)));
    }

    /// <summary>How many parts were uploaded whole by this queue.</summary>
    public int Uploaded => Volatile.Read(ref _uploaded);

    public void Add(StreamedBundlePart part)
    {
        lock (_queued)
        {
            if (_queued.Add(part.Index))
            {
                _parts.Writer.TryWrite(part);
            }
        }
    }

    public void Add(IEnumerable<StreamedBundlePart> parts)
    {
        foreach (var part in parts)
        {
            Add(part);
        }
    }

    /// <summary>
    /// Runs the bundling <paramref name="work"/> while <paramref name="uploads"/> (if any) take its parts: a part that fails
    /// for good cancels it, and that failure is thrown instead of the cancellation.
    /// </summary>
    public static async Task<T> WhileUploadingAsync<T>(PartUploadQueue? uploads, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        using var bundling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, uploads?._failed.Token ?? CancellationToken.None);
        try
        {
            return await work(bundling.Token);
        }
        catch (OperationCanceledException) when (uploads?._permanentFailure is { } failure && !cancellationToken.IsCancellationRequested)
        {
            ExceptionDispatchInfo.Throw(failure);
            throw;
        }
    }

    /// <summary>Marks the end of bundling, for the overlap <see cref="CompleteAsync"/> reports.</summary>
    public void BundlingEnded() => Interlocked.CompareExchange(ref _bundlingEnded, _timeProvider.GetTimestamp(), 0);

    /// <summary>Waits for every queued part; returns how long uploading overlapped bundling, in seconds.</summary>
    public async Task<double> CompleteAsync()
    {
        _parts.Writer.TryComplete();
        await _workers;
        if (Volatile.Read(ref _permanentFailure) is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        _stop.Token.ThrowIfCancellationRequested();
        var started = Interlocked.Read(ref _firstUploadStarted);
        var ended = Interlocked.Read(ref _bundlingEnded);
        return started == 0 || ended == 0 || started > ended ? 0 : _timeProvider.GetElapsedTime(started, ended).TotalSeconds;
    }

    public void Dispose()
    {
        _parts.Writer.TryComplete();
        _stop.Cancel();
        _workers.GetAwaiter().GetResult();
        _stop.Dispose();
        _failed.Dispose();
    }

    private async Task WorkAsync(Func<StreamedBundlePart, CancellationToken, Task> upload)
    {
        try
        {
            await foreach (var part in _parts.Reader.ReadAllAsync(_stop.Token))
            {
                Interlocked.CompareExchange(ref _firstUploadStarted, _timeProvider.GetTimestamp(), 0);
                try
                {
                    await upload(part, _stop.Token);
                    Interlocked.Increment(ref _uploaded);
                }
                catch (Exception exception) when (exception is not OperationCanceledException && PermanentUploadFailure.Is(exception))
                {
                    if (Interlocked.CompareExchange(ref _permanentFailure, exception, null) is null)
                    {
                        _logger.PartUploadFailedForGood(part.FileName, exception.Message.ReplaceLineEndings(" "));
                        _failed.Cancel();
                        _stop.Cancel();
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    _logger.PartLeftForUploadBundle(part.FileName, exception.Message.ReplaceLineEndings(" "));
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The run was cancelled: the step reports it.
        }
    }
}
