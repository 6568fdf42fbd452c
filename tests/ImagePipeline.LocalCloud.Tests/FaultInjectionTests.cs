using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.S3;
using Amazon.S3.Model;
using ImagePipeline.LocalCloud.Faults;

namespace ImagePipeline.LocalCloud.Tests;

/// <summary>Each test gets its own cloud: fault rules are global to a server.</summary>
public sealed class FaultInjectionTests : IAsyncLifetime
{
    private readonly LocalCloudFixture _cloud = new();

    public Task InitializeAsync() => _cloud.InitializeAsync();

    public Task DisposeAsync() => _cloud.DisposeAsync();

    [Fact]
    public async Task A_bandwidth_limit_is_shared_by_the_uploads_it_hits_and_the_objects_arrive_whole()
    {
        using var s3 = _cloud.S3();
        var bucket = LocalCloudFixture.UniqueBucket();
        await s3.PutBucketAsync(bucket);
        _cloud.Server.Faults.Add(new FaultRule { Service = "s3", Operation = "PutObject", Kind = FaultKind.Bandwidth, BytesPerSecond = 1024 * 1024 });
        var body = System.Security.Cryptography.RandomNumberGenerator.GetBytes(768 * 1024);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // Two uploads at once share the link: 1.5 MiB at 1 MiB/s cannot take less than 1.5 s.
        await Task.WhenAll(
            s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "a", InputStream = new MemoryStream(body), UseChunkEncoding = false }),
            s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "b", InputStream = new MemoryStream(body), UseChunkEncoding = false }));

        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(1.4));
        foreach (var key in new[] { "a", "b" })
        {
            using var stored = await s3.GetObjectAsync(bucket, key);
            using var copy = new MemoryStream();
            await stored.ResponseStream.CopyToAsync(copy);
            copy.ToArray().Should().Equal(body);
        }
    }

    [Fact]
    public async Task Throttling_every_third_describe_is_retried_by_the_sdk_and_counted()
    {
        _cloud.Server.Faults.Add(new FaultRule { Service = "ec2", Operation = "DescribeRegions", Kind = FaultKind.Throttle, EveryNth = 3 });
        using var ec2 = _cloud.Ec2();

        for (var i = 0; i < 6; i++)
        {
            await ec2.DescribeRegionsAsync(new DescribeRegionsRequest());
        }

        _cloud.Server.Faults.InjectedCount.Should().BeGreaterThanOrEqualTo(2);
        _cloud.Server.Faults.Injections.Should().OnlyContain(f => f.Kind == FaultKind.Throttle && f.Operation == "DescribeRegions");
    }

    [Fact]
    public async Task Throttling_that_outlasts_the_retries_surfaces_as_request_limit_exceeded_with_503()
    {
        _cloud.Server.Faults.Add(new FaultRule { Service = "ec2", Kind = FaultKind.Throttle });
        using var ec2 = _cloud.Ec2();

        var act = () => ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"] });

        var error = (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which;
        error.ErrorCode.Should().Be("RequestLimitExceeded");
        error.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        _cloud.Server.Faults.InjectedCount.Should().Be(3, "the first try and the two retries were all throttled");
    }

    [Fact]
    public async Task S3_throttling_is_slow_down_with_503()
    {
        _cloud.Server.Faults.Add(new FaultRule { Service = "s3", Operation = "ListBuckets", Kind = FaultKind.Throttle });
        using var s3 = _cloud.S3();

        var act = () => s3.ListBucketsAsync();

        var error = (await act.Should().ThrowAsync<AmazonS3Exception>()).Which;
        error.ErrorCode.Should().Be("SlowDown");
        error.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task An_internal_error_on_one_call_is_retried_and_the_call_then_succeeds()
    {
        _cloud.Server.Faults.Add(new FaultRule { Service = "s3", Operation = "PutObject", Kind = FaultKind.InternalError, MaxInjections = 1 });
        using var s3 = _cloud.S3();
        var bucket = LocalCloudFixture.UniqueBucket();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "survives a 500" });

        _cloud.Server.Faults.Injections.Should().ContainSingle(f => f.Kind == FaultKind.InternalError);
        _cloud.Server.ReadObject(bucket, "k").Should().NotBeNull();
    }

    [Fact]
    public async Task A_connection_reset_mid_response_is_seen_by_the_sdk_and_retried()
    {
        _cloud.Server.Faults.Add(new FaultRule { Service = "s3", Operation = "GetObject", Kind = FaultKind.ResetResponse, MaxInjections = 1 });
        using var s3 = _cloud.S3();
        var bucket = LocalCloudFixture.UniqueBucket();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = new string('x', 100_000) });

        var read = async () =>
        {
            using var response = await s3.GetObjectAsync(bucket, "k");
            using var reader = new StreamReader(response.ResponseStream);
            return await reader.ReadToEndAsync();
        };

        // The reset either hits while the SDK reads the headers (retried inside the SDK) or while the caller reads the
        // body (an IOException for the caller); both are what a flaky network does, and a second read succeeds.
        string body;
        try
        {
            body = await read();
        }
        catch (IOException)
        {
            body = await read();
        }

        body.Should().HaveLength(100_000);
        _cloud.Server.Faults.Injections.Should().ContainSingle(f => f.Kind == FaultKind.ResetResponse);
    }

    [Fact]
    public async Task A_connection_reset_while_reading_the_request_body_loses_nothing_and_is_retried()
    {
        _cloud.Server.Faults.Add(new FaultRule { Service = "s3", Operation = "PutObject", Kind = FaultKind.ResetRequestBody, MaxInjections = 1 });
        using var s3 = _cloud.S3();
        var bucket = LocalCloudFixture.UniqueBucket();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", InputStream = new MemoryStream(new byte[50_000]) });

        _cloud.Server.ReadObject(bucket, "k").Should().HaveCount(50_000);
        _cloud.Server.Faults.InjectedCount.Should().Be(1);
    }

    [Fact]
    public async Task Cleared_faults_stop_being_injected()
    {
        _cloud.Server.Faults.Add(new FaultRule { Kind = FaultKind.Throttle });
        _cloud.Server.Faults.Clear();
        using var ec2 = _cloud.Ec2();

        await ec2.DescribeRegionsAsync(new DescribeRegionsRequest());

        _cloud.Server.Faults.InjectedCount.Should().Be(0);
    }

    [Fact]
    public async Task Latency_delays_the_call_and_is_counted()
    {
        _cloud.Server.Faults.Add(new FaultRule { Service = "sts", Kind = FaultKind.Latency, Latency = TimeSpan.FromMilliseconds(300) });
        using var sts = _cloud.Sts();
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await sts.GetCallerIdentityAsync(new Amazon.SecurityToken.Model.GetCallerIdentityRequest());

        watch.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(290));
        _cloud.Server.Faults.Injections.Should().ContainSingle(f => f.Kind == FaultKind.Latency);
    }

    [Fact]
    public async Task A_copy_image_retried_after_a_reset_with_its_client_token_makes_exactly_one_copy()
    {
        using var source = _cloud.Ec2("us-east-1");
        var created = await source.CreateImageAsync(new CreateImageRequest { InstanceId = LocalCloudSeedIds.LinuxEbsInstanceId, Name = "to-copy", NoReboot = true });
        _cloud.Clock.Advance(TimeSpan.FromMinutes(1));
        _cloud.Server.Faults.Add(new FaultRule { Service = "ec2", Operation = "CopyImage", Kind = FaultKind.ResetResponse, MaxInjections = 1 });
        using var destination = _cloud.Ec2("eu-west-1");
        var request = new CopyImageRequest { SourceRegion = "us-east-1", SourceImageId = created.ImageId, Name = "copied", ClientToken = Guid.NewGuid().ToString() };

        var copy = await destination.CopyImageAsync(request);
        var again = await destination.CopyImageAsync(request);
        var mismatch = () => destination.CopyImageAsync(new CopyImageRequest { SourceRegion = "us-east-1", SourceImageId = created.ImageId, Name = "other-name", ClientToken = request.ClientToken });

        again.ImageId.Should().Be(copy.ImageId);
        (await destination.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"] })).Images.Should().ContainSingle();
        (await mismatch.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("IdempotentParameterMismatch");
        _cloud.Server.Faults.InjectedCount.Should().Be(1);
    }
}
