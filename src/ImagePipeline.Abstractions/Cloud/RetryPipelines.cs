using Polly;
using Polly.Retry;

namespace ImagePipeline.Abstractions;

/// <summary>
/// The one place that builds the pipeline's Polly pipelines: polling a resource (<see cref="ResourceWaiter"/>) and
/// trying a call again after a passing failure (<see cref="TransientFailureRetry"/>). Both run on
/// <see cref="TimeProvider"/>, so tests drive their delays without sleeping. AWS calls are retried by the SDK instead
/// (configured by the host: <c>--max-attempts</c>, <c>--retry-mode</c>); nothing here retries a call the SDK retries.
/// </summary>
internal static class RetryPipelines
{
    private static readonly TimeSpan FirstPollDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Polls while the probe answers pending: the first polls come after about a second and back off to
    /// <paramref name="pollDelay"/>, with ±20 % jitter so parallel waits do not poll in step; the last delay is cut to
    /// what is left of <paramref name="maxWait"/>, and a pending answer then is returned as it is.
    /// </summary>
    public static ResiliencePipeline<WaitProbe<T>> Polling<T>(TimeProvider timeProvider, TimeSpan pollDelay, TimeSpan maxWait, long startedAt)
    {
        var first = pollDelay < FirstPollDelay ? pollDelay : FirstPollDelay;
        return new ResiliencePipelineBuilder<WaitProbe<T>> { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions<WaitProbe<T>>
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is null
                    && args.Outcome.Result.Kind == WaitProbeKind.Pending
                    && timeProvider.GetElapsedTime(startedAt) < maxWait),
                DelayGenerator = args =>
                {
                    var backoff = first * Math.Pow(2, Math.Min(args.AttemptNumber, 30));
                    var delay = (backoff < pollDelay ? backoff : pollDelay) * (0.8 + (0.4 * Random.Shared.NextDouble()));
                    var remaining = maxWait - timeProvider.GetElapsedTime(startedAt);
                    return ValueTask.FromResult<TimeSpan?>(delay < remaining ? delay : remaining);
                },
            })
            .Build();
    }

    /// <summary>
    /// Tries a call up to <paramref name="maxAttempts"/> times while <paramref name="shouldRetry"/> says its failure
    /// passes, with exponential backoff from <paramref name="baseDelay"/> to <paramref name="maxDelay"/> and jitter.
    /// </summary>
    public static ResiliencePipeline Transient(
        TimeProvider timeProvider,
        int maxAttempts,
        TimeSpan baseDelay,
        TimeSpan maxDelay,
        Func<Exception, bool> shouldRetry,
        Func<OnRetryArguments<object>, ValueTask> onRetry) =>
        maxAttempts <= 1
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder { TimeProvider = timeProvider }
                .AddRetry(new RetryStrategyOptions
                {
                    MaxRetryAttempts = maxAttempts - 1,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = baseDelay,
                    MaxDelay = maxDelay,
                    ShouldHandle = args => ValueTask.FromResult(
                        args.Outcome.Exception is { } exception && !args.Context.CancellationToken.IsCancellationRequested && shouldRetry(exception)),
                    OnRetry = onRetry,
                })
                .Build();
}
