using Amazon.EC2.Model;
using Amazon.S3.Model;
using Microsoft.Extensions.Time.Testing;

namespace ImagePipeline.LocalCloud.Tests;

public sealed class PersistenceTests
{
    [Fact]
    public async Task Buckets_objects_and_images_survive_a_restart_on_the_same_data_directory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "localcloud-persist-" + Guid.NewGuid().ToString("N"));
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var bucket = LocalCloudFixture.UniqueBucket();
        string imageId;
        await using (var first = await LocalCloudServer.StartAsync(new LocalCloudOptions { DataDirectory = directory, TimeProvider = clock }))
        {
            using var s3 = LocalCloudClients.S3(first.Endpoint, "us-east-1");
            using var ec2 = LocalCloudClients.Ec2(first.Endpoint, "us-east-1");
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "kept.txt", ContentBody = "still here" });
            imageId = (await ec2.CreateImageAsync(new CreateImageRequest { InstanceId = LocalCloudSeedIds.LinuxEbsInstanceId, Name = "persisted-image", NoReboot = true })).ImageId;
        }

        clock.Advance(TimeSpan.FromMinutes(1));
        await using var second = await LocalCloudServer.StartAsync(new LocalCloudOptions { DataDirectory = directory, TimeProvider = clock });
        using var s3Again = LocalCloudClients.S3(second.Endpoint, "us-east-1");
        using var ec2Again = LocalCloudClients.Ec2(second.Endpoint, "us-east-1");
        using var get = await s3Again.GetObjectAsync(bucket, "kept.txt");
        using var reader = new StreamReader(get.ResponseStream);
        var image = (await ec2Again.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId] })).Images.Single();

        (await reader.ReadToEndAsync()).Should().Be("still here");
        image.Name.Should().Be("persisted-image");
        image.State.Value.Should().Be("available");
    }

    [Fact]
    public async Task Reset_clears_the_persisted_state()
    {
        var directory = Path.Combine(Path.GetTempPath(), "localcloud-reset-" + Guid.NewGuid().ToString("N"));
        var bucket = LocalCloudFixture.UniqueBucket();
        await using (var first = await LocalCloudServer.StartAsync(new LocalCloudOptions { DataDirectory = directory }))
        {
            first.SeedBucket(bucket, "us-east-1");
        }

        await using var second = await LocalCloudServer.StartAsync(new LocalCloudOptions { DataDirectory = directory, Reset = true });

        second.GetState().Buckets.Should().NotContainKey(bucket);
    }

    [Fact]
    public async Task Listing_after_a_restart_keeps_s3s_byte_order_of_keys()
    {
        var directory = Path.Combine(Path.GetTempPath(), "localcloud-order-" + Guid.NewGuid().ToString("N"));
        var bucket = LocalCloudFixture.UniqueBucket();
        var keys = new[] { "a", "a-1", "a/1", "B", "b", "_x" };
        await using (var first = await LocalCloudServer.StartAsync(new LocalCloudOptions { DataDirectory = directory }))
        {
            first.SeedBucket(bucket, "us-east-1");
            foreach (var key in keys)
            {
                first.SeedObject(bucket, key, "x"u8);
            }
        }

        await using var second = await LocalCloudServer.StartAsync(new LocalCloudOptions { DataDirectory = directory });
        using var s3 = LocalCloudClients.S3(second.Endpoint, "us-east-1");
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });

        listed.S3Objects.Select(o => o.Key).Should().Equal(keys.Order(StringComparer.Ordinal));
    }
}
