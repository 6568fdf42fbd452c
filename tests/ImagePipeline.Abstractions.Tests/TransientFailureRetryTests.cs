using System.Net;
using Amazon.S3;
using ImagePipeline.Abstractions;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagePipeline.Abstractions.Tests;

public sealed class TransientFailureRetryTests
{
    [Fact]
    public void Throttling_server_errors_and_dropped_connections_are_transient_but_client_errors_are_not()
    {
        TransientFailureRetry.IsTransient(new AmazonS3Exception("slow down") { StatusCode = HttpStatusCode.ServiceUnavailable, ErrorCode = "SlowDown" }).Should().BeTrue();
        TransientFailureRetry.IsTransient(new AmazonS3Exception("boom") { StatusCode = HttpStatusCode.InternalServerError }).Should().BeTrue();
        TransientFailureRetry.IsTransient(new AmazonS3Exception("wrapped", new IOException("connection reset"))).Should().BeTrue();
        TransientFailureRetry.IsTransient(new HttpRequestException("reset")).Should().BeTrue();
        TransientFailureRetry.IsTransient(new AmazonS3Exception("bad digest") { StatusCode = HttpStatusCode.BadRequest, ErrorCode = "BadDigest" }).Should().BeFalse();
        TransientFailureRetry.IsTransient(new AmazonS3Exception("denied") { StatusCode = HttpStatusCode.Forbidden, ErrorCode = "AccessDenied" }).Should().BeFalse();
    }

    [Fact]
    public async Task A_transient_failure_is_tried_again_and_a_lasting_one_gives_up_after_the_attempts()
    {
        var retry = new TransientFailureRetry(TimeProvider.System, NullLogger.Instance) { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(1) };
        var calls = 0;

        var result = await retry.ExecuteAsync("flaky", _ => ++calls < 3 ? throw new IOException("reset") : Task.FromResult(calls), CancellationToken.None);
        result.Should().Be(3);

        calls = 0;
        var lasting = () => retry.ExecuteAsync<int>("broken", _ => { calls++; throw new IOException("reset"); }, CancellationToken.None);
        await lasting.Should().ThrowAsync<IOException>();
        calls.Should().Be(3);
    }
}
