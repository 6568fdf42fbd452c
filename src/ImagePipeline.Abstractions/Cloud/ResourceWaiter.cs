namespace ImagePipeline.Abstractions;

/// <summary>
/// Polls a resource until it is ready (image available, bundle task complete, snapshot complete): the first polls come
/// quickly and back off to <c>--poll-delay</c>, with jitter so parallel waits do not poll in step; gives up after
/// <c>--max-wait</c>. Built on <see cref="RetryPipelines.Polling{T}"/>; time comes from <see cref="TimeProvider"/>, so
/// tests drive it without sleeping. A failed probe call (an AWS error) is not polled again: the SDK retried it already.
/// </summary>
public sealed class ResourceWaiter(TimeProvider timeProvider)
{
    public async Task<T> WaitAsync<T>(
        string what,
        Func<CancellationToken, Task<WaitProbe<T>>> probe,
        TimeSpan pollDelay,
        TimeSpan maxWait,
        IProgressScope? progress,
        CancellationToken cancellationToken)
    {
        var startedAt = timeProvider.GetTimestamp();
        var last = await RetryPipelines.Polling<T>(timeProvider, pollDelay, maxWait, startedAt).ExecuteAsync(
            async token =>
            {
                var result = await probe(token);
                switch (result.Kind)
                {
                    case WaitProbeKind.Done:
                        progress?.Report(100);
                        break;
                    case WaitProbeKind.Failed:
                        throw new PipelineException($"{what} failed: {result.Status}");
                    default:
                        if (result.Percent is { } percent)
                        {
                            progress?.Report(percent);
                        }

                        break;
                }

                return result;
            },
            cancellationToken);

        return last.Kind == WaitProbeKind.Done
            ? last.Value!
            : throw new PipelineException(
                $"Gave up waiting for {what} after {timeProvider.GetElapsedTime(startedAt).TotalSeconds:0} s (last state: {last.Status ?? "unknown"}); raise --max-wait, or look at it in the AWS console.");
    }
}
