using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using ImagePipeline.LocalCloud;
using ImagePipeline.LocalCloud.Storage;

namespace ImagePipeline.Strategies.Ebs.Tests;

/// <summary>
/// A local cloud with short delays, one per test class (so classes run in parallel without seeing each other's
/// images), plus an SDK client to look at it the way a user would.
/// </summary>
public sealed class LocalCloudFixture : IAsyncLifetime
{
    private readonly Dictionary<string, AmazonEC2Client> _clients = new(StringComparer.Ordinal);
    private string _dataDirectory = "";

    public const string HomeRegion = "us-east-1";

    public LocalCloudServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _dataDirectory = Directory.CreateTempSubdirectory("imagepipeline-ebs-cloud-").FullName;
        Server = await LocalCloudServer.StartAsync(new LocalCloudOptions
        {
            DataDirectory = _dataDirectory,
            ImageAvailableDelay = TimeSpan.FromMilliseconds(600),
            InstanceTransitionDelay = TimeSpan.FromMilliseconds(300),
            SnapshotCompletionDelay = TimeSpan.FromMilliseconds(400),
        });
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        await Server.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing the suite over.
        }
    }

    public IAmazonEC2 Ec2(string region = HomeRegion)
    {
        lock (_clients)
        {
            if (!_clients.TryGetValue(region, out var client))
            {
                client = new AmazonEC2Client(
                    new BasicAWSCredentials(LocalCloudAccounts.AccessKeyId, LocalCloudAccounts.SecretAccessKey),
                    new AmazonEC2Config { ServiceURL = Server.Endpoint.ToString(), AuthenticationRegion = region });
                _clients[region] = client;
            }

            return client;
        }
    }

    /// <summary>A fresh instance for one test, so no test sees another's stops and starts.</summary>
    public string NewInstance(string? platform = null, string state = "running", string rootDeviceType = "ebs") =>
        Server.SeedInstance(new InstanceSeed { Region = HomeRegion, Platform = platform, State = state, RootDeviceType = rootDeviceType });

    public string? InstanceState(string instanceId) => Server.GetInstanceState(HomeRegion, instanceId);

    /// <summary>Every state the instance has passed through, oldest first.</summary>
    public IReadOnlyList<string> InstanceHistory(string instanceId) =>
        Server.GetState().Regions[HomeRegion].Instances[instanceId].Timeline.Entries.Select(entry => entry.State).ToArray();

    public RegionState Region(string region = HomeRegion) =>
        Server.GetState().Regions.TryGetValue(region, out var state) ? state : new RegionState();

    /// <summary>What the account owns in the regions, to check a failed run left nothing behind.</summary>
    public ResourceCensus Census(params string[] regions) =>
        new(
            regions.SelectMany(region => Region(region).Images.Values.Where(image => !image.Deregistered).Select(image => image.ImageId)).Order().ToArray(),
            regions.SelectMany(region => Region(region).Snapshots.Keys).Order().ToArray());

    public async Task<List<Image>> ImagesNamedAsync(string name, string region = HomeRegion)
    {
        var response = await Ec2(region).DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"], Filters = [new Filter("name", [name])] });
        return response.Images ?? [];
    }

    public async Task<List<Snapshot>> SnapshotsOfAsync(Image image, string region = HomeRegion)
    {
        var ids = (image.BlockDeviceMappings ?? []).Select(mapping => mapping.Ebs?.SnapshotId).OfType<string>().ToList();
        var response = await Ec2(region).DescribeSnapshotsAsync(new DescribeSnapshotsRequest { SnapshotIds = ids });
        return response.Snapshots ?? [];
    }
}

/// <summary>The image and snapshot ids an account owns at one moment.</summary>
public sealed record ResourceCensus(IReadOnlyList<string> ImageIds, IReadOnlyList<string> SnapshotIds)
{
    public ResourceCensus NewSince(ResourceCensus before) =>
        new(ImageIds.Except(before.ImageIds).ToArray(), SnapshotIds.Except(before.SnapshotIds).ToArray());
}
