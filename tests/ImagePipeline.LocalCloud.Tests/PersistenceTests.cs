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

    [Fact]
    public async Task A_region_seeded_by_an_older_version_gets_the_default_network_and_the_base_images_it_lacks_and_keeps_the_rest()
    {
        var directory = Path.Combine(Path.GetTempPath(), "localcloud-upgrade-" + Guid.NewGuid().ToString("N"));
        string launched;
        await using (var first = await LocalCloudServer.StartAsync(new LocalCloudOptions { DataDirectory = directory }))
        {
            using var ec2 = LocalCloudClients.Ec2(first.Endpoint, "us-east-1");
            launched = (await ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = LocalCloudSeedIds.LinuxEbsImageId, InstanceType = "t3.micro", MinCount = 1, MaxCount = 1 })).Reservation.Instances[0].InstanceId;
        }

        // What an older version wrote: no VPCs, subnets or groups, and only the four first base images.
        var statePath = Path.Combine(directory, "state.json");
        var state = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(statePath))!;
        var region = state["Regions"]!["us-east-1"]!.AsObject();
        region.Remove("Vpcs");
        region.Remove("Subnets");
        region.Remove("SecurityGroups");
        region["Images"]!.AsObject().Remove(LocalCloudSeedIds.LinuxArmEbsImageId);
        await File.WriteAllTextAsync(statePath, state.ToJsonString());

        await using var second = await LocalCloudServer.StartAsync(new LocalCloudOptions { DataDirectory = directory });
        using var ec2Again = LocalCloudClients.Ec2(second.Endpoint, "us-east-1");
        var vpcs = await ec2Again.DescribeVpcsAsync(new DescribeVpcsRequest());
        var arm = await ec2Again.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [LocalCloudSeedIds.LinuxArmEbsImageId] });
        var instance = await ec2Again.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [launched] });

        vpcs.Vpcs.Should().ContainSingle(v => v.IsDefault == true);
        arm.Images.Should().ContainSingle();
        instance.Reservations.Should().ContainSingle();
    }
}
