using ImagePipeline.LocalCloud;
using ImagePipeline.LocalCloud.Storage;

namespace ImagePipeline.Samples.Tests.Support;

/// <summary>
/// A local cloud on a free loopback port for one test class, with images available almost at once. The host under
/// test reaches it with --cloud local --endpoint-url, as a user's CI job reaches LocalStack.
/// </summary>
public sealed class LocalCloudFixture : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"imagepipeline-samples-cloud-{Guid.NewGuid():N}");
    private LocalCloudServer? _server;

    public LocalCloudServer Server => _server ?? throw new InvalidOperationException("The local cloud has not started.");

    public Uri Endpoint => Server.Endpoint;

    public async Task InitializeAsync() =>
        _server = await LocalCloudServer.StartAsync(new LocalCloudOptions
        {
            DataDirectory = _data,
            ImageAvailableDelay = TimeSpan.FromMilliseconds(200),
            SnapshotCompletionDelay = TimeSpan.FromMilliseconds(200),
            InstanceTransitionDelay = TimeSpan.FromMilliseconds(200),
        });

    /// <summary>The images the account registered (not the public base images every region starts with).</summary>
    public IReadOnlyList<ImageRecord> OwnedImages(string region = "us-east-1") =>
        Server.GetState().Regions.TryGetValue(region, out var state)
            ? state.Images.Values.Where(image => image.OwnerAlias is null && image.OwnerAccountId == LocalCloudAccounts.AccountId).ToList()
            : [];

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_data, recursive: true);
    }
}
