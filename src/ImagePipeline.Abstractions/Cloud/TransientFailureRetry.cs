using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Abstractions;

/// <summary>
/// Tries a call again after a passing failure (throttling, a 5xx, a dropped connection), with exponential backoff and
/// jitter (<see cref="RetryPipelines.Transient"/>, on <see cref="TimeProvider"/>): a multi-gigabyte upload should
/// survive a bad minute. Wrap only calls that nothing else retries: for AWS, calls on a client from
/// <see cref="ICloudClients.S3ForTransfers"/>, whose SDK retries are off; calls on the other clients are retried by the
/// SDK (<c>--max-attempts</c>), and retrying them here as well would multiply the attempts.
/// </summary>
public sealed partial class TransientFailureRetry(TimeProvider timeProvider, ILogger logger)
{
    private static readonly HashSet<string> TransientErrorCodes = new(StringComparer.Ordinal)
    {
        "SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException",
        "RequestTimeout", "RequestTimeTooSkewed", "InternalError", "ServiceUnavailable", "Busy",
    };

    public int MaxAttempts { get; init; } = 6;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    public async Task<T> ExecuteAsync<T>(string what, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        var pipeline = RetryPipelines.Transient(
            timeProvider,
            MaxAttempts,
            BaseDelay,
            MaxDelay,
            IsTransient,
            args =>
            {
                LogRetrying(logger, what, args.AttemptNumber + 1, MaxAttempts, args.RetryDelay.TotalSeconds, Describe(args.Outcome.Exception!));
                return ValueTask.CompletedTask;
            });
        return await pipeline.ExecuteAsync(async token => await action(token), cancellationToken);
    }

    public async Task ExecuteAsync(string what, Func<CancellationToken, Task> action, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            what,
            async token =>
            {
                await action(token);
                return true;
            },
            cancellationToken);

    public static bool IsTransient(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case AmazonServiceException service when (int)service.StatusCode >= 500 || service.StatusCode == HttpStatusCode.TooManyRequests:
                case AmazonServiceException { ErrorCode: { } code } when TransientErrorCodes.Contains(code):
                case HttpRequestException or IOException or SocketException:
                case TimeoutException:
                    return true;
                case AmazonServiceException { StatusCode: > 0 }:
                    // A real answer from the service (400 BadDigest, 403 AccessDenied): trying again would not help.
                    return false;
            }
        }

        return false;
    }

    private static string Describe(Exception exception) =>
        exception is AmazonServiceException { ErrorCode: { } code } service ? $"{code} ({(int)service.StatusCode})" : exception.GetType().Name;

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "{What} failed (attempt {Attempt} of {MaxAttempts}: {Reason}); trying again in {DelaySeconds:0.0} s")]
    private static partial void LogRetrying(ILogger logger, string what, int attempt, int maxAttempts, double delaySeconds, string reason);
}
