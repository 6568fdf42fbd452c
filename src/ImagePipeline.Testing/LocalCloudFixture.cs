using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SecurityToken;
using Amazon.SimpleSystemsManagement;
using ImagePipeline.LocalCloud;
using ImagePipeline.LocalCloud.Storage;
using Xunit;

namespace ImagePipeline.Testing;

/// <summary>
/// A local cloud on 127.0.0.1 for a test class or collection, in a temp folder of its own, on a <see cref="TestClock"/>,
/// with the real AWS SDK clients pointed at it. The defaults suit tests of the cloud itself (AWS-like delays, a clock
/// the test moves); <see cref="PipelineCloudFixture"/> suits runs of the pipeline in-process (short delays, waits
/// skipped), <see cref="HostProcessCloudFixture"/> a pipeline in another process, which cannot share the clock.
/// </summary>
public class LocalCloudFixture : IAsyncLifetime
{
    public const string HomeRegion = "us-east-1";

    private LocalCloudServer? _server;

    /// <summary>The clock the cloud runs on, and that an in-process pipeline should run on (<see cref="Time"/>).</summary>
    public TestClock Clock { get; init; } = new();

    /// <summary>Runs the cloud on the machine's clock, for a pipeline run by another process.</summary>
    public bool UsesRealTime { get; init; }

    public TimeSpan ImageAvailableDelay { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan InstanceTransitionDelay { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan SnapshotCompletionDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long each state of a bundle task lasts.</summary>
    public TimeSpan BundleTaskStepDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The options hook for launches (<see cref="LocalCloudOptions.InstanceSshAddress"/>): set it in a derived
    /// fixture's constructor, for example to 127.0.0.1 so launched instances answer on a loopback sshd. Null by default.
    /// </summary>
    public string? InstanceSshAddress { get; init; }

    /// <summary>Where launches append their key pair's public key (<see cref="LocalCloudOptions.AuthorizedKeysFile"/>); null by default.</summary>
    public string? AuthorizedKeysFile { get; init; }

    /// <summary>
    /// A loopback sshd that launched instances are (set it in a derived fixture's constructor): their address is
    /// 127.0.0.1 and their key pair's public key lands in its authorized_keys, as cloud-init does; it is started before
    /// the cloud and stopped after it. Null by default; it takes the place of <see cref="InstanceSshAddress"/> and
    /// <see cref="AuthorizedKeysFile"/>.
    /// </summary>
    public LoopbackSshServer? InstanceSsh { get; init; }

    /// <summary>Where attached volumes appear (<see cref="LocalCloudOptions.AttachedVolumeDirectory"/>); null by default.</summary>
    public string? AttachedVolumeDirectory { get; init; }

    /// <summary>The fixture's own temp folder: the cloud's data, and whatever else a test keeps there.</summary>
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("imagepipeline-localcloud-").FullName;

    public string DataDirectory => Path.Combine(Directory, "cloud");

    public LocalCloudServer Server => _server ?? throw new InvalidOperationException("The local cloud has not started.");

    public Uri Endpoint => Server.Endpoint;

    /// <summary>The time the cloud reads: <see cref="Clock"/>, or the machine's with <see cref="UsesRealTime"/>.</summary>
    public TimeProvider Time => UsesRealTime ? TimeProvider.System : Clock;

    public LocalCloudOptions Options => new()
    {
        DataDirectory = DataDirectory,
        TimeProvider = Time,
        ImageAvailableDelay = ImageAvailableDelay,
        InstanceTransitionDelay = InstanceTransitionDelay,
        SnapshotCompletionDelay = SnapshotCompletionDelay,
        BundleTaskStepDelay = BundleTaskStepDelay,
        InstanceSshAddress = InstanceSsh is null ? InstanceSshAddress : "127.0.0.1",
        AuthorizedKeysFile = InstanceSsh is { } ssh ? Path.Combine(ssh.Directory, "authorized_keys") : AuthorizedKeysFile,
        AttachedVolumeDirectory = AttachedVolumeDirectory,
    };

    public CloudState State => Server.GetState();

    public static string UniqueBucket(string prefix = "bucket") => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)];

    public virtual async Task InitializeAsync()
    {
        if (InstanceSsh is not null)
        {
            await InstanceSsh.InitializeAsync();
        }

        _server = await LocalCloudServer.StartAsync(Options);
    }

    public virtual async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (InstanceSsh is not null)
        {
            await InstanceSsh.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing the suite over.
        }
    }

    /// <summary>A folder inside the fixture's own, for a test's files.</summary>
    public string Subdirectory(string name) => System.IO.Directory.CreateDirectory(Path.Combine(Directory, name)).FullName;

    public AmazonS3Client S3(string region = HomeRegion, bool otherAccount = false, Action<AmazonS3Config>? configure = null) =>
        LocalCloudClients.S3(Endpoint, region, otherAccount, configure);

    public AmazonEC2Client Ec2(string region = HomeRegion, bool otherAccount = false) => LocalCloudClients.Ec2(Endpoint, region, otherAccount);

    public AmazonSecurityTokenServiceClient Sts(string region = HomeRegion, AWSCredentials? credentials = null) => LocalCloudClients.Sts(Endpoint, region, credentials);

    public AmazonSimpleSystemsManagementClient Ssm(string region = HomeRegion) => LocalCloudClients.Ssm(Endpoint, region);

    /// <summary>A fresh instance for one test, so no test sees another's stops and starts.</summary>
    public string NewInstance(string? platform = null, string state = "running", string rootDeviceType = "ebs", string region = HomeRegion) =>
        Server.SeedInstance(new InstanceSeed { Region = region, Platform = platform, State = state, RootDeviceType = rootDeviceType });

    public string? InstanceState(string instanceId, string region = HomeRegion) => Server.GetInstanceState(region, instanceId);

    /// <summary>Every state the instance has passed through, oldest first.</summary>
    public IReadOnlyList<string> InstanceHistory(string instanceId, string region = HomeRegion) =>
        State.Regions[region].Instances[instanceId].Timeline.Entries.Select(entry => entry.State).ToArray();

    public RegionState Region(string region = HomeRegion) =>
        State.Regions.TryGetValue(region, out var state) ? state : new RegionState();

    /// <summary>The images the main account registered (not the public base images every region starts with), deregistered ones too.</summary>
    public IReadOnlyList<ImageRecord> OwnedImages(string region = HomeRegion) =>
        Region(region).Images.Values.Where(image => image.OwnerAlias is null && image.OwnerAccountId == LocalCloudAccounts.AccountId).ToList();

    /// <summary>Images of the main account in a region that are not deregistered.</summary>
    public IReadOnlyList<ImageRecord> LiveImages(string region = HomeRegion) =>
        Region(region).Images.Values.Where(image => image.OwnerAccountId == LocalCloudAccounts.AccountId && !image.Deregistered).ToArray();

    /// <summary>What the account owns in the regions, to check a failed run left nothing behind.</summary>
    public ResourceCensus Census(params string[] regions) =>
        new(
            regions.SelectMany(region => Region(region).Images.Values.Where(image => !image.Deregistered).Select(image => image.ImageId)).Order().ToArray(),
            regions.SelectMany(region => Region(region).Snapshots.Keys).Order().ToArray());

    public async Task<List<Image>> ImagesNamedAsync(string name, string region = HomeRegion)
    {
        using var ec2 = Ec2(region);
        var response = await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"], Filters = [new Filter("name", [name])] });
        return response.Images ?? [];
    }

    public async Task<List<Snapshot>> SnapshotsOfAsync(Image image, string region = HomeRegion)
    {
        var ids = (image.BlockDeviceMappings ?? []).Select(mapping => mapping.Ebs?.SnapshotId).OfType<string>().ToList();
        using var ec2 = Ec2(region);
        var response = await ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { SnapshotIds = ids });
        return response.Snapshots ?? [];
    }
}
