using Amazon.Runtime;
using Amazon.S3.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Aws;
using ImagePipeline.Bundling;
using ImagePipeline.Core.Plugins;
using ImagePipeline.LocalCloud;
using ImagePipeline.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ImagePipeline.Build.Tests;

/// <summary>The S3 side of the pipeline (PrepareBucket, UploadBundle, reading the bundle back) against s3rver from npm.</summary>
public sealed class ThirdPartyS3Tests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("imagepipeline-s3rver-run-").FullName;
    private S3rverServer _s3 = null!;
    private LocalCloudServer _cloud = null!;
    private AwsCloudClients _storage = null!;
    private AwsCloudClients _compute = null!;
    private TestKeyMaterial _keys = null!;

    public async Task InitializeAsync()
    {
        _s3 = await S3rverServer.StartAsync();
        _cloud = await LocalCloudServer.StartAsync(new LocalCloudOptions { DataDirectory = Path.Combine(_folder, "cloud") });
        _storage = new AwsCloudClients(new AwsCloudSettings { Region = "us-east-1", Credentials = new BasicAWSCredentials(S3rverServer.AccessKeyId, S3rverServer.SecretAccessKey), ServiceUrl = _s3.Endpoint, MaxAttempts = 3 });
        _compute = new AwsCloudClients(new AwsCloudSettings { Region = "us-east-1", Credentials = new BasicAWSCredentials(LocalCloudAccounts.AccessKeyId, LocalCloudAccounts.SecretAccessKey), ServiceUrl = _cloud.Endpoint, MaxAttempts = 3 });
        _keys = new TestKeyMaterial(Path.Combine(_folder, "keys"));
    }

    public async Task DisposeAsync()
    {
        _storage.Dispose();
        _compute.Dispose();
        await _cloud.DisposeAsync();
        await _s3.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Bucket_preparation_and_upload_work_against_s3rver_and_the_bundle_reads_back_intact()
    {
        await using var harness = Harness();
        var parameters = Parameters();

        var first = await harness.RunAsync("UploadBundle", parameters);

        first.Outcome.Should().Be(RunOutcome.Succeeded, harness.Logs.Text);
        var manifestLocation = first.Outputs[WellKnownOutputs.ManifestLocation];
        var keys = await ListAsync("third-party-bundles");
        keys.Should().Contain(manifestLocation["third-party-bundles/".Length..]);
        keys.Should().Contain(key => key.Contains(".part.", StringComparison.Ordinal));

        // Read the bundle back from s3rver and verify it: part digests, signature, decrypted stream.
        var download = Path.Combine(_folder, "download");
        Directory.CreateDirectory(download);
        foreach (var key in keys)
        {
            using var response = await _storage.S3().GetObjectAsync("third-party-bundles", key);
            await response.WriteResponseStreamToFileAsync(Path.Combine(download, Path.GetFileName(key)), append: false, CancellationToken.None);
        }

        var bundler = new ServiceCollection().AddLogging().AddImageBundler().BuildServiceProvider().GetRequiredService<IImageBundler>();
        var verified = await bundler.VerifyAsync(
            new BundleKeyRequest { ManifestPath = Path.Combine(download, Path.GetFileName(manifestLocation)), PrivateKeyPath = _keys.Key, UserCertificatePath = _keys.Certificate },
            null,
            CancellationToken.None);
        verified.ImageSize.Should().Be(new FileInfo(_keys.Image).Length);
    }

    private PipelineHarness Harness()
    {
        var plugins = new PluginLoader().Load(HostSandbox.PluginsFolder, []).SelectMany(plugin => plugin.EntryPoints);
        return new PipelineHarness(_cloud.Endpoint, plugins, LocalCloudAccounts.AccessKeyId, LocalCloudAccounts.SecretAccessKey, Path.Combine(_folder, "root-" + Guid.NewGuid().ToString("N")))
        {
            ConfigureServices = services => services.AddSingleton<ICloudClients>(new SplitCloudClients(_storage, _compute)),
        };
    }

    private Dictionary<string, string> Parameters() => new()
    {
        ["bucket"] = "third-party-bundles",
        ["image-file"] = _keys.Image,
        ["x509-cert-path"] = _keys.Certificate,
        ["x509-key-path"] = _keys.Key,
        ["ec2-cert-path"] = _keys.Ec2Certificate,
        ["account-id"] = LocalCloudAccounts.AccountId,
        ["ami-name"] = "third-party-s3",
        ["bundle-prefix"] = "s3rver-bundle",
    };

    private async Task<List<string>> ListAsync(string bucket) =>
        ((await _storage.S3().ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects ?? []).Select(item => item.Key).Order(StringComparer.Ordinal).ToList();
}
