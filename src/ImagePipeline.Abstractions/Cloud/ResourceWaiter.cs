namespace ImagePipeline.Abstractions;

/// <summary>
/// Polls a resource until it is ready (image available, bundle task complete, snapshot complete): the first polls come
/// quickly and back off to <c>--poll-delay</c>, with jitter so parallel waits do not poll in step; gives up after
/// <c>--max-wait</c>. Time comes from <see cref="TimeProvider"/>, so tests drive it without sleeping.
/// </summary>
public sealed class ResourceWaiter(TimeProvider timeProvider)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);

    public async Task<T> WaitAsync<T>(
        string what,
        Func<CancellationToken, Task<WaitProbe<T>>> probe,
        TimeSpan pollDelay,
        TimeSpan maxWait,
        IProgressScope? progress,
        CancellationToken cancellationToken)
    {
        var startedAt = timeProvider.GetTimestamp();
        var delay = pollDelay < FirstDelay ? pollDelay : FirstDelay;
        string? lastStatus = null;
        while (true)
        {
            var result = await probe(cancellationToken);
            switch (result.Kind)
            {
                case WaitProbeKind.Done:
                    progress?.Report(100);
                    return result.Value!;
                case WaitProbeKind.Failed:
                    throw new PipelineException($"{what} failed: {result.Status}");
            }

            lastStatus = result.Status;
            if (result.Percent is { } percent)
            {
                progress?.Report(percent);
            }

            var elapsed = timeProvider.GetElapsedTime(startedAt);
            if (elapsed >= maxWait)
            {
                throw new PipelineException(
                    $"Gave up waiting for {what} after {elapsed.TotalSeconds:0} s (last state: {lastStatus ?? "unknown"}); raise --max-wait, or look at it in the AWS console.");
            }

            var jittered = delay * (0.8 + (0.4 * Random.Shared.NextDouble()));
            var remaining = maxWait - elapsed;
            await Task.Delay(jittered < remaining ? jittered : remaining, timeProvider, cancellationToken);
            delay = delay * 2 < pollDelay ? delay * 2 : pollDelay;
        }
    }
}
