using ImagePipeline.LocalCloud;
using ImagePipeline.LocalCloud.Storage;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>
/// One local cloud for the test collection (fast state changes), plus test keys. Tests keep apart by using their own
/// bucket and image names.
/// </summary>
public sealed class LocalCloudFixture : IAsyncLifetime
{
    private LocalCloudServer? _server;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("imagepipeline-instancestore-tests-").FullName;

    public LocalCloudServer Server => _server ?? throw new InvalidOperationException("The local cloud has not started.");

    public TestKeys Keys { get; private set; } = null!;

    /// <summary>How long each state of a bundle task lasts; a test that must catch a task mid-way asks for a longer one.</summary>
    public TimeSpan BundleTaskStepDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public async Task InitializeAsync()
    {
        Keys = TestKeys.Create(Subdirectory("keys"));
        _server = await LocalCloudServer.StartAsync(new LocalCloudOptions
        {
            DataDirectory = Subdirectory("cloud"),
            ImageAvailableDelay = TimeSpan.FromMilliseconds(300),
            BundleTaskStepDelay = BundleTaskStepDelay,
            InstanceTransitionDelay = TimeSpan.FromMilliseconds(100),
            SnapshotCompletionDelay = TimeSpan.FromMilliseconds(100),
        });
    }

    public string Subdirectory(string name) => System.IO.Directory.CreateDirectory(Path.Combine(Directory, name)).FullName;

    public CloudState State => Server.GetState();

    /// <summary>Images of the main account in a region that are not deregistered.</summary>
    public IReadOnlyList<ImageRecord> LiveImages(string region = "us-east-1") =>
        State.Regions.TryGetValue(region, out var regionState)
            ? regionState.Images.Values.Where(image => image.OwnerAccountId == LocalCloudAccounts.AccountId && !image.Deregistered).ToArray()
            : [];

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder that cannot be removed is not worth failing the run over.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class LocalCloudCollection : ICollectionFixture<LocalCloudFixture>
{
    public const string Name = "local cloud";
}
