using System.Security.Cryptography;
using System.Text;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.S3;
using Amazon.S3.Model;

namespace ImagePipeline.LocalCloud.Tests;

public sealed class BundleInstanceTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private const string Region = "ap-northeast-1";

    private static (string Policy, string Signature) SignedPolicy(string bucket, string prefix, DateTimeOffset expiration, string secret = LocalCloudAccounts.SecretAccessKey, string acl = "ec2-bundle-read")
    {
        var json = $$"""{"expiration":"{{expiration.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}","conditions":[{"bucket":"{{bucket}}"},{"acl":"{{acl}}"},["starts-with","$key","{{prefix}}"]]}""";
        var policy = Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
        var signature = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(policy)));
        return (policy, signature);
    }

    private async Task<string> NewBucketAsync()
    {
        using var s3 = cloud.S3(Region);
        var bucket = LocalCloudFixture.UniqueBucket("bundle");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = Region, ObjectOwnership = ObjectOwnership.ObjectWriter });
        return bucket;
    }

    private BundleInstanceRequest Request(string instanceId, string bucket, string prefix, (string Policy, string Signature) policy) => new()
    {
        InstanceId = instanceId,
        Storage = new Amazon.EC2.Model.Storage
        {
            S3 = new S3Storage
            {
                Bucket = bucket,
                Prefix = prefix,
                AWSAccessKeyId = LocalCloudAccounts.AccessKeyId,
                UploadPolicy = new MemoryStream(Convert.FromBase64String(policy.Policy)),
                UploadPolicySignature = policy.Signature,
            },
        },
    };

    [Fact]
    public async Task A_bundle_task_walks_to_complete_and_leaves_a_manifest_that_register_image_accepts()
    {
        using var ec2 = cloud.Ec2(Region);
        var bucket = await NewBucketAsync();
        var instanceId = cloud.Server.SeedInstance(new InstanceSeed { Region = Region, Platform = "windows", RootDeviceType = "instance-store" });
        var prefix = "winbase";
        var policy = SignedPolicy(bucket, prefix, cloud.Clock.GetUtcNow().AddHours(12));

        var started = await ec2.BundleInstanceAsync(Request(instanceId, bucket, prefix, policy));
        var states = new List<string> { started.BundleTask.State.Value };
        for (var i = 0; i < 4; i++)
        {
            cloud.Clock.Advance(TimeSpan.FromSeconds(15));
            var task = (await ec2.DescribeBundleTasksAsync(new DescribeBundleTasksRequest { BundleIds = [started.BundleTask.BundleId] })).BundleTasks.Single();
            states.Add(task.State.Value);
        }

        states.Should().Equal("pending", "waiting-for-shutdown", "bundling", "storing", "complete");
        started.BundleTask.BundleId.Should().MatchRegex("^bun-[0-9a-f]{8}$");
        cloud.Server.ReadObject(bucket, "winbase.manifest.xml").Should().NotBeNull();
        cloud.Server.ReadObject(bucket, "winbase.part.0").Should().NotBeNull();
        var registered = await ec2.RegisterImageAsync(new RegisterImageRequest { ImageLocation = $"{bucket}/winbase.manifest.xml", Name = $"winbase-{Guid.NewGuid():N}" });
        registered.ImageId.Should().StartWith("ami-");
        cloud.Clock.Advance(TimeSpan.FromSeconds(15));
        cloud.Server.GetInstanceState(Region, instanceId).Should().Be("running");
    }

    [Fact]
    public async Task Cancelling_a_bundle_task_ends_it_failed_with_an_error()
    {
        using var ec2 = cloud.Ec2(Region);
        var bucket = await NewBucketAsync();
        var instanceId = cloud.Server.SeedInstance(new InstanceSeed { Region = Region, Platform = "windows", RootDeviceType = "instance-store" });
        var started = await ec2.BundleInstanceAsync(Request(instanceId, bucket, "cancelled", SignedPolicy(bucket, "cancelled", cloud.Clock.GetUtcNow().AddHours(1))));

        var cancelled = await ec2.CancelBundleTaskAsync(new CancelBundleTaskRequest { BundleId = started.BundleTask.BundleId });
        cloud.Clock.Advance(TimeSpan.FromSeconds(16));
        var task = (await ec2.DescribeBundleTasksAsync(new DescribeBundleTasksRequest { BundleIds = [started.BundleTask.BundleId] })).BundleTasks.Single();

        cancelled.BundleTask.State.Should().Be(BundleTaskState.Cancelling);
        task.State.Should().Be(BundleTaskState.Failed);
        task.BundleTaskError.Code.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task Bundling_an_ebs_backed_or_linux_instance_is_an_unsupported_operation()
    {
        using var ec2 = cloud.Ec2(Region);
        var bucket = await NewBucketAsync();
        var policy = SignedPolicy(bucket, "p", cloud.Clock.GetUtcNow().AddHours(1));

        var ebs = () => ec2.BundleInstanceAsync(Request(LocalCloudSeedIds.WindowsEbsInstanceId, bucket, "p", policy));
        var linux = () => ec2.BundleInstanceAsync(Request(LocalCloudSeedIds.LinuxInstanceStoreInstanceId, bucket, "p", policy));

        (await ebs.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("UnsupportedOperation");
        (await linux.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("UnsupportedOperation");
    }

    [Fact]
    public async Task An_upload_policy_signed_with_the_wrong_secret_expired_or_for_another_prefix_is_refused()
    {
        using var ec2 = cloud.Ec2(Region);
        var bucket = await NewBucketAsync();
        var now = cloud.Clock.GetUtcNow();

        var wrongSecret = () => ec2.BundleInstanceAsync(Request(LocalCloudSeedIds.WindowsInstanceStoreInstanceId, bucket, "p", SignedPolicy(bucket, "p", now.AddHours(1), secret: "not-the-secret")));
        var expired = () => ec2.BundleInstanceAsync(Request(LocalCloudSeedIds.WindowsInstanceStoreInstanceId, bucket, "p", SignedPolicy(bucket, "p", now.AddHours(-1))));
        var otherPrefix = () => ec2.BundleInstanceAsync(Request(LocalCloudSeedIds.WindowsInstanceStoreInstanceId, bucket, "p", SignedPolicy(bucket, "q", now.AddHours(1))));
        var wrongAcl = () => ec2.BundleInstanceAsync(Request(LocalCloudSeedIds.WindowsInstanceStoreInstanceId, bucket, "p", SignedPolicy(bucket, "p", now.AddHours(1), acl: "public-read")));

        (await wrongSecret.Should().ThrowAsync<AmazonEC2Exception>()).Which.Message.Should().Contain("UploadPolicySignature");
        (await expired.Should().ThrowAsync<AmazonEC2Exception>()).Which.Message.Should().Contain("expired");
        (await otherPrefix.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidParameterValue");
        (await wrongAcl.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidParameterValue");
    }

    [Fact]
    public async Task An_unknown_bundle_id_is_not_found()
    {
        using var ec2 = cloud.Ec2(Region);

        var act = () => ec2.DescribeBundleTasksAsync(new DescribeBundleTasksRequest { BundleIds = ["bun-00000000"] });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidBundleID.NotFound");
    }

    [Fact]
    public async Task A_cloud_that_answers_like_todays_aws_refuses_bundle_instance_as_unsupported()
    {
        var directory = Path.Combine(Path.GetTempPath(), "localcloud-nobundle-" + Guid.NewGuid().ToString("N"));
        await using var server = await LocalCloudServer.StartAsync(new LocalCloudOptions { DataDirectory = directory, BundleInstanceSupported = false });
        using var ec2 = LocalCloudClients.Ec2(server.Endpoint, Region);
        var policy = SignedPolicy("any-bucket", "p", DateTimeOffset.UtcNow.AddHours(1));

        var act = () => ec2.BundleInstanceAsync(Request(LocalCloudSeedIds.WindowsInstanceStoreInstanceId, "any-bucket", "p", policy));

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("UnsupportedOperation");
    }
}
