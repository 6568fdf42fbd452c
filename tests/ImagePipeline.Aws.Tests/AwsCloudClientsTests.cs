using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.LocalCloud;
using ImagePipeline.LocalCloud.Faults;

namespace ImagePipeline.Aws.Tests;

public sealed class AwsCloudClientsTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("imagepipeline-aws-").FullName;
    private LocalCloudServer _cloud = null!;

    public async Task InitializeAsync() => _cloud = await LocalCloudServer.StartAsync(new LocalCloudOptions { DataDirectory = _folder });

    public async Task DisposeAsync()
    {
        await _cloud.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void S3_against_a_custom_endpoint_uses_path_style_and_asks_for_checksums_only_when_an_operation_requires_them()
    {
        using var clients = Clients("eu-west-1");

        var config = (AmazonS3Config)((AmazonS3Client)clients.S3()).Config;

        config.ForcePathStyle.Should().BeTrue();
        config.RequestChecksumCalculation.Should().Be(RequestChecksumCalculation.WHEN_REQUIRED);
        config.ResponseChecksumValidation.Should().Be(ResponseChecksumValidation.WHEN_REQUIRED);
        config.AuthenticationRegion.Should().Be("eu-west-1");
        config.MaxErrorRetry.Should().Be(4, "five attempts in all");
        config.RetryMode.Should().Be(RequestRetryMode.Standard);
    }

    [Fact]
    public async Task A_put_with_content_md5_reaches_the_server_intact_and_a_wrong_md5_is_refused()
    {
        using var clients = Clients("us-east-1");
        var s3 = clients.S3();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = "md5-checks" });
        var body = Encoding.UTF8.GetBytes("part bytes");

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "md5-checks", Key = "good", InputStream = new MemoryStream(body), MD5Digest = Convert.ToBase64String(MD5.HashData(body)) });
        var wrong = () => s3.PutObjectAsync(new PutObjectRequest { BucketName = "md5-checks", Key = "bad", InputStream = new MemoryStream(body), MD5Digest = Convert.ToBase64String(MD5.HashData([1, 2, 3])) });

        _cloud.ReadObject("md5-checks", "good").Should().Equal(body);
        (await wrong.Should().ThrowAsync<AmazonS3Exception>()).Which.ErrorCode.Should().Be("BadDigest");
    }

    [Fact]
    public async Task A_failing_call_is_tried_max_attempts_times_by_the_sdk_but_once_on_the_transfer_client_which_its_step_retries()
    {
        using var clients = Clients("us-east-1");
        await clients.S3().PutBucketAsync(new PutBucketRequest { BucketName = "retry-layers" });
        _cloud.Faults.Add(new FaultRule { Service = "s3", Operation = "PutObject", Kind = FaultKind.InternalError });
        try
        {
            var retried = () => clients.S3().PutObjectAsync(new PutObjectRequest { BucketName = "retry-layers", Key = "a", ContentBody = "x" });
            (await retried.Should().ThrowAsync<AmazonS3Exception>()).Which.StatusCode.Should().Be(System.Net.HttpStatusCode.InternalServerError);
            _cloud.Faults.InjectedCount.Should().Be(5, "--max-attempts 5");

            var transfer = () => clients.S3ForTransfers().PutObjectAsync(new PutObjectRequest { BucketName = "retry-layers", Key = "b", ContentBody = "x" });
            await transfer.Should().ThrowAsync<AmazonS3Exception>();
            _cloud.Faults.InjectedCount.Should().Be(6, "one attempt: TransientFailureRetry is the transfer's only retry layer");
        }
        finally
        {
            _cloud.Faults.Clear();
        }
    }

    [Fact]
    public async Task The_caller_identity_comes_from_sts()
    {
        using var clients = Clients("us-east-1");

        var identity = await clients.GetCallerIdentityAsync(CancellationToken.None);

        identity.AccountId.Should().Be(LocalCloudAccounts.AccountId);
    }

    [Fact]
    public async Task An_upload_policy_is_signed_with_hmac_sha1_of_its_base64_text_and_the_secret_never_leaves()
    {
        using var clients = Clients("us-east-1");
        const string Policy = """{"expiration":"2030-01-01T00:00:00Z","conditions":[{"bucket":"b"}]}""";

        var signed = await clients.SignUploadPolicyAsync(Policy, CancellationToken.None);

        signed.AccessKeyId.Should().Be(LocalCloudAccounts.AccessKeyId);
        Encoding.UTF8.GetString(Convert.FromBase64String(signed.PolicyBase64)).Should().Be(Policy);
        signed.Signature.Should().Be(Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(LocalCloudAccounts.SecretAccessKey), Encoding.UTF8.GetBytes(signed.PolicyBase64))));
        signed.ToString().Should().NotContain(LocalCloudAccounts.SecretAccessKey);
    }

    [Fact]
    public async Task Temporary_credentials_cannot_sign_an_upload_policy_and_the_error_says_what_to_do()
    {
        using var clients = new AwsCloudClients(new AwsCloudSettings
        {
            Region = "us-east-1",
            Credentials = new SessionAWSCredentials("ASIATEMPORARY", "temporary-secret", "session-token-value"),
            ServiceUrl = _cloud.Endpoint,
        });

        var sign = () => clients.SignUploadPolicyAsync("{}", CancellationToken.None);

        var error = (await sign.Should().ThrowAsync<PipelineException>()).Which;
        error.Kind.Should().Be(PipelineErrorKind.Input);
        error.Message.Should().Contain("temporary").And.Contain("--backing-store ebs").And.NotContain("temporary-secret").And.NotContain("session-token-value");
    }

    [Fact]
    public void A_profile_that_does_not_exist_is_an_input_error_naming_it()
    {
        var resolve = () => AwsCredentialsResolver.Resolve("no-such-profile-7f3a");

        resolve.Should().Throw<PipelineException>().Which.Message.Should().Contain("'no-such-profile-7f3a' was not found").And.Contain("--aws-profile");
    }

    private AwsCloudClients Clients(string region) => new(new AwsCloudSettings
    {
        Region = region,
        Credentials = new BasicAWSCredentials(LocalCloudAccounts.AccessKeyId, LocalCloudAccounts.SecretAccessKey),
        ServiceUrl = _cloud.Endpoint,
        MaxAttempts = 5,
    });
}
