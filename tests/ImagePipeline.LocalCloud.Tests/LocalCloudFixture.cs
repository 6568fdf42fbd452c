using Amazon.EC2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SecurityToken;
using Amazon.SimpleSystemsManagement;
using Microsoft.Extensions.Time.Testing;

namespace ImagePipeline.LocalCloud.Tests;

/// <summary>
/// One local cloud per test class, on a fake clock that tests advance to drive state transitions, with the real
/// AWS SDK clients pointed at it.
/// </summary>
public sealed class LocalCloudFixture : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "localcloud-tests-" + Guid.NewGuid().ToString("N"));

    public LocalCloudServer Server { get; private set; } = null!;

    public LocalCloudOptions Options => new()
    {
        DataDirectory = DataDirectory,
        TimeProvider = Clock,
        ImageAvailableDelay = TimeSpan.FromSeconds(30),
        InstanceTransitionDelay = TimeSpan.FromSeconds(10),
        SnapshotCompletionDelay = TimeSpan.FromSeconds(20),
        BundleTaskStepDelay = TimeSpan.FromSeconds(15),
    };

    public async Task InitializeAsync() => Server = await LocalCloudServer.StartAsync(Options);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    public AmazonS3Client S3(string region = "us-east-1", bool otherAccount = false, Action<AmazonS3Config>? configure = null) =>
        AwsClients.S3(Server.Endpoint, region, otherAccount, configure);

    public AmazonEC2Client Ec2(string region = "us-east-1", bool otherAccount = false) => AwsClients.Ec2(Server.Endpoint, region, otherAccount);

    public AmazonSecurityTokenServiceClient Sts(string region = "us-east-1", AWSCredentials? credentials = null) => AwsClients.Sts(Server.Endpoint, region, credentials);

    public AmazonSimpleSystemsManagementClient Ssm(string region = "us-east-1") => AwsClients.Ssm(Server.Endpoint, region);

    public static string UniqueBucket(string prefix = "bucket") => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)];
}
