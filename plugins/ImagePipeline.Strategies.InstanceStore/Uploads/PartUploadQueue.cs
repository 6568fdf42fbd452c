using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Strategies.InstanceStore.Uploads;

/// <summary>
/// Uploads parts as they are announced, several at once, while the bundle is still being written. A failed upload
/// cancels <see cref="Token"/>, which the bundling runs under, so the run stops at once and reports the upload's error.
/// </summary>
public sealed class PartUploadQueue : IDisposable
{
    private readonly Channel<StreamedBundlePart> _parts = Channel.CreateUnbounded<StreamedBundlePart>();
    private readonly HashSet<int> _queued = [];
    private readonly CancellationTokenSource _stop;
    private readonly Task _workers;
    private readonly TimeProvider _timeProvider;
    private ExceptionDispatchInfo? _failure;
    private long _firstUploadStarted;
    private long _bundlingEnded;

    public PartUploadQueue(InstancePartSender sender, int concurrency, string prefix, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        _timeProvider = timeProvider;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _workers = Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => WorkAsync(sender, prefix), CancellationToken.None)));
    }

    /// <summary>Cancelled when the run is cancelled or an upload failed.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>How many parts were announced (and so uploaded) while the bundle was being written.</summary>
    public int SentWhileBundling { get; private set; }

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

    /// <summary>Marks the end of bundling: the parts queued so far were announced while it ran.</summary>
    public void BundlingEnded()
    {
        lock (_queued)
        {
            SentWhileBundling = _queued.Count;
            _bundlingEnded = _timeProvider.GetTimestamp();
        }
    }

    public void ThrowIfFailed() => _failure?.Throw();

    /// <summary>Waits for every queued part; returns how long uploading overlapped bundling, in seconds.</summary>
    public async Task<double> CompleteAsync()
    {
        _parts.Writer.TryComplete();
        await _workers;
        ThrowIfFailed();
        _stop.Token.ThrowIfCancellationRequested();
        var started = Interlocked.Read(ref _firstUploadStarted);
        return started == 0 || _bundlingEnded == 0 || started > _bundlingEnded ? 0 : _timeProvider.GetElapsedTime(started, _bundlingEnded).TotalSeconds;
    }

    public void Dispose()
    {
        _parts.Writer.TryComplete();
        _stop.Cancel();
        try
        {
            _workers.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // Stopped because the run ended early: the failure, if any, was reported by the step.
        }

        _stop.Dispose();
    }

    private async Task WorkAsync(InstancePartSender sender, string prefix)
    {
        try
        {
            await foreach (var part in _parts.Reader.ReadAllAsync(_stop.Token))
            {
                Interlocked.CompareExchange(ref _firstUploadStarted, _timeProvider.GetTimestamp(), 0);
                await sender.UploadAsync(part, $"{prefix}/{part.FileName}", _stop.Token);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !_stop.IsCancellationRequested)
        {
            Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(exception), null);
            await _stop.CancelAsync();
        }
    }
}
