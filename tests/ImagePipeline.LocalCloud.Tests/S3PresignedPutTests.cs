using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Time.Testing;

namespace ImagePipeline.LocalCloud.Tests;

/// <summary>
/// Presigned PUTs (query-string SigV4), as a live instance uploads bundle parts without AWS credentials: accepted only
/// with what was signed (Content-MD5, the run id metadata, the ACL, If-None-Match), only before they expire.
/// </summary>
public sealed class S3PresignedPutTests : IAsyncLifetime
{
    private static readonly byte[] Body = RandomNumberGenerator.GetBytes(4096);
    private static readonly string BodyMd5 = Convert.ToBase64String(MD5.HashData(Body));
    private readonly LocalCloudFixture _cloud = new();
    private readonly HttpClient _http = new();

    public Task InitializeAsync() => _cloud.InitializeAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cloud.DisposeAsync();
    }

    [Fact]
    public async Task A_presigned_put_with_the_signed_headers_stores_the_object_with_its_metadata_and_acl()
    {
        using var s3 = _cloud.S3();
        var bucket = await BucketAsync(s3);
        var url = await PresignAsync(s3, bucket, "part.0");

        using var response = await _http.SendAsync(Put(url, Body, BodyMd5));

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var head = await s3.GetObjectMetadataAsync(bucket, "part.0");
        head.Metadata["x-amz-meta-imagepipeline-run-id"].Should().Be("run-1");
        head.ETag.Trim('"').Should().Be(Convert.ToHexStringLower(MD5.HashData(Body)));
        (await s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "part.0" })).Grants.Should().Contain(grant => grant.Permission == S3Permission.READ && grant.Grantee.DisplayName == "za-team", "aws-exec-read lets EC2 read the part");
    }

    [Fact]
    public async Task A_body_other_than_the_signed_Content_MD5_is_refused()
    {
        using var s3 = _cloud.S3();
        var bucket = await BucketAsync(s3);
        var url = await PresignAsync(s3, bucket, "part.0");
        var other = RandomNumberGenerator.GetBytes(4096);

        using var sameHeader = await _http.SendAsync(Put(url, other, BodyMd5));
        using var otherHeader = await _http.SendAsync(Put(url, other, Convert.ToBase64String(MD5.HashData(other))));

        sameHeader.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await sameHeader.Content.ReadAsStringAsync()).Should().Contain("<Code>BadDigest</Code>");
        otherHeader.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await otherHeader.Content.ReadAsStringAsync()).Should().Contain("<Code>SignatureDoesNotMatch</Code>");
        (await ObjectExistsAsync(s3, bucket, "part.0")).Should().BeFalse();
    }

    [Fact]
    public async Task An_unsigned_x_amz_header_is_refused()
    {
        using var s3 = _cloud.S3();
        var bucket = await BucketAsync(s3);
        var url = await PresignAsync(s3, bucket, "part.0");
        var request = Put(url, Body, BodyMd5);
        request.Headers.Add("x-amz-meta-other", "added later");

        using var response = await _http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).Should().Contain("<Code>AccessDenied</Code>").And.Contain("not signed");
        (await ObjectExistsAsync(s3, bucket, "part.0")).Should().BeFalse();
    }

    [Fact]
    public async Task An_existing_object_is_not_written_over_when_If_None_Match_was_signed()
    {
        using var s3 = _cloud.S3();
        var bucket = await BucketAsync(s3);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "part.0", ContentBody = "someone else's" });
        var url = await PresignAsync(s3, bucket, "part.0");

        using var response = await _http.SendAsync(Put(url, Body, BodyMd5));

        response.StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task An_expired_url_is_refused()
    {
        var directory = Path.Combine(Path.GetTempPath(), "localcloud-presigned-" + Guid.NewGuid().ToString("N"));
        await using var server = await LocalCloudServer.StartAsync(new LocalCloudOptions { DataDirectory = directory, SigningClock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(6)) });
        using var s3 = LocalCloudClients.S3(server.Endpoint, "us-east-1", otherAccount: false, configure: null);
        var bucket = await BucketAsync(s3);
        var url = await PresignAsync(s3, bucket, "part.0");

        using var response = await _http.SendAsync(Put(url, Body, BodyMd5));

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).Should().Contain("<Code>AccessDenied</Code>").And.Contain("expired");
    }

    [Theory]
    [InlineData("604801")]
    [InlineData("0")]
    [InlineData("-5")]
    public async Task An_expiry_outside_one_second_to_a_week_is_refused(string expires)
    {
        using var s3 = _cloud.S3();
        var bucket = await BucketAsync(s3);
        var url = System.Text.RegularExpressions.Regex.Replace(await PresignAsync(s3, bucket, "part.0"), "X-Amz-Expires=[0-9]+", "X-Amz-Expires=" + expires);

        using var response = await _http.SendAsync(Put(url, Body, BodyMd5));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("<Code>AuthorizationQueryParametersError</Code>");
        (await ObjectExistsAsync(s3, bucket, "part.0")).Should().BeFalse();
    }

    private static async Task<string> BucketAsync(IAmazonS3 s3)
    {
        // ACLs enabled, as the plugin makes its bucket: parts carry aws-exec-read.
        var bucket = LocalCloudFixture.UniqueBucket();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, ObjectOwnership = ObjectOwnership.ObjectWriter });
        return bucket;
    }

    /// <summary>As the instance-store plugin mints them: five minutes, Content-MD5, run id, ACL and If-None-Match signed.</summary>
    private static Task<string> PresignAsync(IAmazonS3 s3, string bucket, string key)
    {
        var request = new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = key,
            Verb = HttpVerb.PUT,
            Expires = DateTime.UtcNow.AddSeconds(300),
            ContentType = "application/octet-stream",
            Protocol = Protocol.HTTP,
        };
        request.Headers.ContentMD5 = BodyMd5;
        request.Headers["x-amz-acl"] = "aws-exec-read";
        request.Headers["If-None-Match"] = "*";
        request.Metadata.Add("imagepipeline-run-id", "run-1");
        return s3.GetPreSignedURLAsync(request);
    }

    private static HttpRequestMessage Put(string url, byte[] body, string md5)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        content.Headers.TryAddWithoutValidation("Content-MD5", md5);
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = content };
        request.Headers.Add("x-amz-acl", "aws-exec-read");
        request.Headers.Add("x-amz-meta-imagepipeline-run-id", "run-1");
        request.Headers.TryAddWithoutValidation("If-None-Match", "*");
        return request;
    }

    private static async Task<bool> ObjectExistsAsync(IAmazonS3 s3, string bucket, string key)
    {
        try
        {
            await s3.GetObjectMetadataAsync(bucket, key);
            return true;
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
