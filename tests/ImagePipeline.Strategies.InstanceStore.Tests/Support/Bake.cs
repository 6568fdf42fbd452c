using System.Security.Cryptography;
using ImagePipeline.Abstractions;
using ImagePipeline.Core.Engine;
using ImagePipeline.LocalCloud;
using ImagePipeline.Testing;
using ImagePipeline.Testing.Images;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>One test's bake: a harness against the shared local cloud, a bucket and image name of its own, and a small image.</summary>
public sealed class Bake : IAsyncDisposable
{
    private readonly InstanceStoreCloudFixture _cloud;

    public Bake(InstanceStoreCloudFixture cloud, IPipelinePlugin? plugin = null, LocalCloudServer? server = null)
    {
        _cloud = cloud;
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        Bucket = $"ip-test-{id}";
        ImageName = $"ip-test-image-{id}";
        Directory = cloud.Subdirectory("bake-" + id);
        Harness = new PipelineHarness(
            (server ?? cloud.Server).Endpoint,
            [plugin ?? new InstanceStorePlugin()],
            LocalCloudAccounts.AccessKeyId,
            LocalCloudAccounts.SecretAccessKey,
            System.IO.Directory.CreateDirectory(Path.Combine(Directory, "root")).FullName)
        {
            TimeProvider = cloud.Time,
        };
    }

    public PipelineHarness Harness { get; }

    public string Bucket { get; }

    public string ImageName { get; }

    /// <summary>A folder of this test's own, for images and unbundled output.</summary>
    public string Directory { get; }

    public TestKeys Keys => _cloud.Keys;

    /// <summary>A 3 MiB image, half random data and half holes.</summary>
    public string SmallImage() =>
        TestImages.WriteSparse(Path.Combine(Directory, "disk.img"), 3 * TestImages.MiB, (0, 1 * TestImages.MiB), (2 * TestImages.MiB, TestImages.MiB / 2));

    /// <summary>Parameters of a Linux bake from a local image, as on the command line.</summary>
    public Dictionary<string, string> LinuxParameters(string image) => new(StringComparer.Ordinal)
    {
        ["bucket"] = Bucket,
        ["x509-cert-path"] = Keys.CertificatePath,
        ["x509-key-path"] = Keys.KeyPath,
        ["ec2-cert-path"] = Keys.Ec2CertificatePath,
        ["image-file"] = image,
        ["ami-name"] = ImageName,
        ["poll-delay"] = "0.2",
        ["max-wait"] = "30",
    };

    public Dictionary<string, string> WindowsParameters(string instanceId) => new(StringComparer.Ordinal)
    {
        ["platform"] = "windows",
        ["bucket"] = Bucket,
        ["instance-id"] = instanceId,
        ["ami-name"] = ImageName,
        ["poll-delay"] = "0.2",
        ["max-wait"] = "30",
    };

    public Task<RunResult> RunAsync(IReadOnlyDictionary<string, string> parameters, string target = "RegisterImage", string? resume = null) =>
        Harness.RunAsync(target, parameters, resume);

    /// <summary>The run's private folder, where keys are staged and the bundle is written by default.</summary>
    public string WorkDirectoryOf(string runId) => Path.Combine(Harness.RunsDirectory, runId);

    /// <summary>Staged key folders still on disk, in any run of this bake.</summary>
    public IReadOnlyList<string> StagedKeyFolders() =>
        System.IO.Directory.Exists(Harness.RunsDirectory)
            ? System.IO.Directory.GetDirectories(Harness.RunsDirectory, "x509-*", SearchOption.AllDirectories)
            : [];

    public bool BucketExists => _cloud.State.Buckets.ContainsKey(Bucket);

    public IReadOnlyList<string> ObjectKeys =>
        _cloud.State.Buckets.TryGetValue(Bucket, out var bucket) ? bucket.Objects.Keys.ToArray() : [];

    public IReadOnlyList<ImagePipeline.LocalCloud.Storage.ImageRecord> LiveImagesNamed(string? name = null) =>
        _cloud.LiveImages().Where(image => image.Name == (name ?? ImageName)).ToArray();

    public ValueTask DisposeAsync() => Harness.DisposeAsync();
}
