using Amazon.EC2.Model;
using Amazon.S3.Model;

namespace ImagePipeline.LocalCloud.Tests;

/// <summary>
/// Issue 12, item 5: several servers (in the host, several processes) on one data directory. The lock between them is
/// an OS file lock, which two servers in one process contend for just as two processes do.
/// </summary>
public sealed class SharedStateTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "localcloud-shared-" + Guid.NewGuid().ToString("N"));
    private LocalCloudServer _one = null!;
    private LocalCloudServer _two = null!;

    public static TheoryData<string> Changes => new() { "bucket", "object", "image", "deleted object" };

    public async Task InitializeAsync()
    {
        _one = await LocalCloudServer.StartAsync(new LocalCloudOptions { DataDirectory = _directory });
        _two = await LocalCloudServer.StartAsync(new LocalCloudOptions { DataDirectory = _directory });
    }

    public async Task DisposeAsync()
    {
        await _one.DisposeAsync();
        await _two.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task A_change_made_through_either_server_at_the_same_time_is_kept_by_both_and_by_the_next_server(string change)
    {
        var names = Enumerable.Range(0, 8).Select(i => LocalCloudFixture.UniqueBucket($"shared{i}")).ToArray();

        // Half the changes through each server, all at once.
        var made = await Task.WhenAll(names.Select((name, i) => MakeAsync(i % 2 == 0 ? _one : _two, change, name)));

        foreach (var server in new[] { _one, _two })
        {
            await ExpectAsync(server, change, names, made);
        }

        await using var third = await LocalCloudServer.StartAsync(new LocalCloudOptions { DataDirectory = _directory });
        await ExpectAsync(third, change, names, made);
    }

    [Fact]
    public async Task A_server_started_later_on_the_same_directory_keeps_the_temp_files_of_a_running_one()
    {
        var tempFolders = Directory.GetDirectories(Path.Combine(_directory, "tmp"));

        await using var third = await LocalCloudServer.StartAsync(new LocalCloudOptions { DataDirectory = _directory });

        Directory.GetDirectories(Path.Combine(_directory, "tmp")).Should().Contain(tempFolders).And.HaveCount(3);
    }

    private static async Task<string?> MakeAsync(LocalCloudServer server, string change, string name)
    {
        using var s3 = LocalCloudClients.S3(server.Endpoint, "us-east-1");
        using var ec2 = LocalCloudClients.Ec2(server.Endpoint, "us-east-1");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = name });
        switch (change)
        {
            case "object":
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = name, Key = "k", ContentBody = name });
                break;
            case "deleted object":
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = name, Key = "k", ContentBody = name });
                await s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = name, Objects = [new KeyVersion { Key = "k" }] });
                break;
            case "image":
                return (await ec2.CreateImageAsync(new CreateImageRequest { InstanceId = LocalCloudSeedIds.LinuxEbsInstanceId, Name = name, NoReboot = true })).ImageId;
        }

        return null;
    }

    private static async Task ExpectAsync(LocalCloudServer server, string change, string[] names, string?[] made)
    {
        using var s3 = LocalCloudClients.S3(server.Endpoint, "us-east-1");
        using var ec2 = LocalCloudClients.Ec2(server.Endpoint, "us-east-1");
        (await s3.ListBucketsAsync()).Buckets.Select(bucket => bucket.BucketName).Should().Contain(names);
        foreach (var name in names)
        {
            var keys = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = name })).S3Objects?.Select(entry => entry.Key) ?? [];
            keys.Should().BeEquivalentTo(change is "object" ? ["k"] : Array.Empty<string>(), name);
            if (change is "object")
            {
                using var get = await s3.GetObjectAsync(name, "k");
                (await new StreamReader(get.ResponseStream).ReadToEndAsync()).Should().Be(name);
            }
        }

        if (change == "image")
        {
            var images = (await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [.. made.Select(id => id!)] })).Images;
            images.Select(image => image.Name).Should().BeEquivalentTo(names);
        }

    }
}
