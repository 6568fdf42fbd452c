using System.Net;
using System.Net.Sockets;
using Amazon.S3;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Uploads;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

public sealed class PermanentUploadFailureTests
{
    public static TheoryData<Exception, bool> Failures() => new()
    {
        { new AmazonS3Exception("Access Denied") { StatusCode = HttpStatusCode.Forbidden, ErrorCode = "AccessDenied" }, true },
        { new AmazonS3Exception("The AWS Access Key Id you provided does not exist") { StatusCode = HttpStatusCode.Forbidden, ErrorCode = "InvalidAccessKeyId" }, true },
        { new AmazonS3Exception("The specified bucket does not exist") { StatusCode = HttpStatusCode.NotFound, ErrorCode = "NoSuchBucket" }, true },
        // A presigned PUT from the instance: S3's answer rides inside the step's own error.
        { new PipelineException("S3 refused the PUT", new AmazonS3Exception("403 AccessDenied") { StatusCode = HttpStatusCode.Forbidden, ErrorCode = "AccessDenied" }), true },
        { new AmazonS3Exception("Please reduce your request rate") { StatusCode = HttpStatusCode.ServiceUnavailable, ErrorCode = "SlowDown" }, false },
        { new AmazonS3Exception("We encountered an internal error") { StatusCode = HttpStatusCode.InternalServerError, ErrorCode = "InternalError" }, false },
        { new AmazonS3Exception("The Content-MD5 you specified did not match") { StatusCode = HttpStatusCode.BadRequest, ErrorCode = "BadDigest" }, false },
        { new HttpRequestException("Connection reset", new SocketException((int)SocketError.ConnectionReset)), false },
        { new PipelineException("part read back from the instance is not what was reported"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Only_refused_access_and_a_missing_bucket_stop_bundling(Exception failure, bool permanent) =>
        PermanentUploadFailure.Is(failure).Should().Be(permanent);
}
