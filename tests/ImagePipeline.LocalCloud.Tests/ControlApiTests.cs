using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.S3;

namespace ImagePipeline.LocalCloud.Tests;

/// <summary>The HTTP control API other processes use to inspect, seed and fault the cloud.</summary>
public sealed class ControlApiTests : IAsyncLifetime
{
    private readonly LocalCloudFixture _cloud = new();
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        await _cloud.InitializeAsync();
        _http = new HttpClient { BaseAddress = _cloud.Server.Endpoint };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cloud.DisposeAsync();
    }

    [Fact]
    public async Task A_bucket_seeded_over_http_for_another_account_shows_in_the_state_and_denies_the_caller()
    {
        var bucket = LocalCloudFixture.UniqueBucket();

        var seeded = await _http.PostAsJsonAsync("/_localcloud/seed/bucket", new { name = bucket, region = "us-east-1", ownerAccountId = LocalCloudAccounts.OtherAccountId });
        using var state = JsonDocument.Parse(await _http.GetStringAsync("/_localcloud/state"));
        using var s3 = _cloud.S3();
        var act = () => s3.GetObjectAsync(bucket, "k");

        seeded.StatusCode.Should().Be(HttpStatusCode.NoContent);
        state.RootElement.GetProperty("Buckets").GetProperty(bucket).GetProperty("OwnerAccountId").GetString().Should().Be(LocalCloudAccounts.OtherAccountId);
        (await act.Should().ThrowAsync<AmazonS3Exception>()).Which.ErrorCode.Should().Be("AccessDenied");
    }

    [Fact]
    public async Task An_instance_seeded_over_http_is_described_by_ec2()
    {
        var response = await _http.PostAsJsonAsync("/_localcloud/seed/instance", new { region = "eu-west-1", platform = "windows", rootDeviceType = "instance-store" });
        var instanceId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("instanceId").GetString();
        using var ec2 = _cloud.Ec2("eu-west-1");

        var described = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instanceId!] });

        described.Reservations[0].Instances[0].RootDeviceType.Value.Should().Be("instance-store");
    }

    [Fact]
    public async Task Faults_posted_over_http_are_injected_counted_and_cleared()
    {
        var posted = await _http.PostAsJsonAsync("/_localcloud/faults", new[] { new { service = "ec2", operation = "DescribeImages", kind = "InternalError" } });
        using var ec2 = _cloud.Ec2();
        var act = () => ec2.DescribeImagesAsync(new DescribeImagesRequest());
        var error = (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which;
        using var faults = JsonDocument.Parse(await _http.GetStringAsync("/_localcloud/faults"));

        var cleared = await _http.DeleteAsync("/_localcloud/faults");

        posted.StatusCode.Should().Be(HttpStatusCode.NoContent);
        error.ErrorCode.Should().Be("InternalError");
        error.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        faults.RootElement.GetProperty("injectedCount").GetInt32().Should().Be(3);
        cleared.StatusCode.Should().Be(HttpStatusCode.NoContent);
        await ec2.DescribeImagesAsync(new DescribeImagesRequest());
    }

    [Fact]
    public async Task A_command_failure_rule_posted_over_http_fails_the_run_command_it_names()
    {
        var posted = await _http.PostAsJsonAsync("/_localcloud/faults", new { service = "ssm", operation = "SendCommand", kind = "CommandFailure", responseCode = 42, standardError = "boom", commandContains = "fail-me" });
        using var ssm = _cloud.Ssm();
        var sent = await ssm.SendCommandAsync(new Amazon.SimpleSystemsManagement.Model.SendCommandRequest
        {
            DocumentName = "AWS-RunPowerShellScript",
            InstanceIds = [LocalCloudSeedIds.WindowsEbsInstanceId],
            Parameters = new Dictionary<string, List<string>> { ["commands"] = ["fail-me"] },
        });
        _cloud.Clock.Advance(_cloud.InstanceTransitionDelay * 2);
        using var faults = JsonDocument.Parse(await _http.GetStringAsync("/_localcloud/faults"));

        var invocation = await ssm.GetCommandInvocationAsync(new Amazon.SimpleSystemsManagement.Model.GetCommandInvocationRequest { CommandId = sent.Command.CommandId, InstanceId = LocalCloudSeedIds.WindowsEbsInstanceId });

        posted.StatusCode.Should().Be(HttpStatusCode.NoContent);
        invocation.Status.Value.Should().Be("Failed");
        invocation.ResponseCode.Should().Be(42);
        invocation.StandardErrorContent.Should().Be("boom");
        faults.RootElement.GetProperty("rules")[0].GetProperty("commandContains").GetString().Should().Be("fail-me");
    }

    [Fact]
    public async Task A_request_without_any_signature_is_refused_as_aws_does()
    {
        var s3 = await _http.GetAsync("/some-bucket/key");
        var ec2 = await _http.PostAsync("/", new FormUrlEncodedContent(new Dictionary<string, string> { ["Action"] = "DescribeRegions", ["Version"] = "2016-11-15" }));

        s3.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await s3.Content.ReadAsStringAsync()).Should().Contain("<Code>AccessDenied</Code>");
        ec2.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await ec2.Content.ReadAsStringAsync()).Should().Contain("<Code>AuthFailure</Code>");
    }

    [Fact]
    public async Task An_unknown_access_key_is_invalid_access_key_id_for_s3_and_auth_failure_for_ec2()
    {
        var credentials = new Amazon.Runtime.BasicAWSCredentials("AKIAUNKNOWNKEY000000", "x");
        using var s3 = new AmazonS3Client(credentials, new AmazonS3Config { ServiceURL = _cloud.Server.Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        using var ec2 = new AmazonEC2Client(credentials, new AmazonEC2Config { ServiceURL = _cloud.Server.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

        var s3Act = () => s3.ListBucketsAsync();
        var ec2Act = () => ec2.DescribeRegionsAsync(new DescribeRegionsRequest());

        var s3Error = (await s3Act.Should().ThrowAsync<AmazonS3Exception>()).Which;
        s3Error.ErrorCode.Should().Be("InvalidAccessKeyId");
        s3Error.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await ec2Act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("AuthFailure");
    }

    [Fact]
    public async Task A_wrong_secret_for_s3_is_signature_does_not_match()
    {
        var credentials = new Amazon.Runtime.BasicAWSCredentials(LocalCloudAccounts.AccessKeyId, "wrong");
        using var s3 = new AmazonS3Client(credentials, new AmazonS3Config { ServiceURL = _cloud.Server.Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

        var act = () => s3.ListBucketsAsync();

        (await act.Should().ThrowAsync<AmazonS3Exception>()).Which.ErrorCode.Should().Be("SignatureDoesNotMatch");
    }

    [Fact]
    public async Task A_presigned_get_url_from_the_sdk_downloads_the_object()
    {
        using var s3 = _cloud.S3();
        var bucket = LocalCloudFixture.UniqueBucket();
        await s3.PutBucketAsync(new Amazon.S3.Model.PutBucketRequest { BucketName = bucket });
        await s3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = bucket, Key = "shared.txt", ContentBody = "presigned" });
        var url = await s3.GetPreSignedURLAsync(new Amazon.S3.Model.GetPreSignedUrlRequest { BucketName = bucket, Key = "shared.txt", Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Amazon.S3.Protocol.HTTP });

        var body = await _http.GetStringAsync(new Uri(url));

        body.Should().Be("presigned");
    }

    [Fact]
    public async Task A_dry_run_answers_dry_run_operation()
    {
        using var ec2 = _cloud.Ec2();

        var act = () => ec2.DescribeImagesAsync(new DescribeImagesRequest { DryRun = true });

        var error = (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which;
        error.ErrorCode.Should().Be("DryRunOperation");
        error.StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task A_signed_request_dated_far_from_the_servers_clock_is_refused()
    {
        var directory = Path.Combine(Path.GetTempPath(), "localcloud-skew-" + Guid.NewGuid().ToString("N"));
        var farFuture = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(2));
        await using var server = await LocalCloudServer.StartAsync(new LocalCloudOptions { DataDirectory = directory, SigningClock = farFuture });
        using var ec2 = new AmazonEC2Client(LocalCloudClients.Credentials(), new AmazonEC2Config { ServiceURL = server.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

        var act = () => ec2.DescribeRegionsAsync(new DescribeRegionsRequest());

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("RequestExpired");
    }
}
