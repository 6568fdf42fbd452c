using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Strategies.InstanceStore.Uploads;

/// <summary>
/// Retries a call that failed for a passing reason (throttling, a 5xx, a dropped connection) with exponential backoff and
/// full jitter, on top of the SDK's own retries: a multi-gigabyte upload should survive a bad minute. Delays run on
/// <see cref="TimeProvider"/>.
/// </summary>
public sealed class TransientFailureRetry(TimeProvider timeProvider, ILogger logger)
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
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action(cancellationToken);
            }
            catch (Exception exception) when (attempt < MaxAttempts && !cancellationToken.IsCancellationRequested && IsTransient(exception))
            {
                var ceiling = BaseDelay * Math.Pow(2, attempt - 1);
                var delay = (ceiling < MaxDelay ? ceiling : MaxDelay) * Random.Shared.NextDouble();
                logger.RetryingAfterTransientFailure(what, attempt, MaxAttempts, delay.TotalSeconds, Describe(exception));
                await Task.Delay(delay, timeProvider, cancellationToken);
            }
        }
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
}
