using System.Globalization;
using ImagePipeline.Abstractions;
using ImagePipeline.Core.Engine;
using ImagePipeline.LocalCloud.Faults;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using ImagePipeline.Strategies.InstanceStore.Strategies;
using ImagePipeline.Testing.Images;
using Microsoft.Extensions.DependencyInjection;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>
/// A part uploaded while bundling that S3 refuses for good (the bucket is gone) stops BundleVolume at once with that
/// error, for a local image and for a live instance; a passing failure (a 500) leaves the part to UploadBundle.
/// </summary>
[Collection(LocalCloudCollection.Name)]
public sealed class PartUploadFailureTests(InstanceStoreCloudFixture cloud, RecordingSshServerFixture sshd) : IClassFixture<RecordingSshServerFixture>
{
    [Fact]
    public async Task A_bucket_gone_while_a_local_image_is_bundled_stops_BundleVolume_at_once_with_NoSuchBucket()
    {
        await using var bake = new Bake(cloud, new BucketDeletedAfterPrepareBucketPlugin());
        var image = LargeImage(bake);
        var parameters = bake.LinuxParameters(image);
        parameters["upload-concurrency"] = "1";

        var result = await bake.RunAsync(parameters, "UploadBundle");

        result.Failure.Should().NotBeNull();
        result.Failure!.ToString().Should().Contain("NoSuchBucket");
        result.Targets.Single(target => target.Target == PipelineTarget.BundleVolume).Status.Should().Be(TargetStatus.Failed);
        bake.Harness.Logs.Text.Should().Contain("failed for good").And.Contain("bundling stops");
        var bundled = bake.Harness.Progress.Reports.Where(report => report.Activity.StartsWith("Bundling", StringComparison.Ordinal)).ToArray();
        bundled.Max(report => report.Completed).Should().BeLessThan(new FileInfo(image).Length, "bundling stopped before the end of the image");
        result.CleanupFailures.Should().BeEmpty();
    }

    [Fact]
    public async Task A_bucket_gone_while_a_live_volume_is_bundled_stops_the_volume_bundler_at_once_and_leaves_nothing_on_the_instance()
    {
        await using var bake = new Bake(cloud, new BucketDeletedAfterPrepareBucketPlugin());
        using var volume = LiveVolume.CreateEmpty(bake.Directory, megabytes: 128);
        LiveVolume.Run($"head -c 60000000 /dev/urandom > {LiveVolume.Quote(volume.Path("random"))}");
        var parameters = LiveParameters(bake, volume);

        var result = await bake.RunAsync(parameters, "UploadBundle");

        result.Failure.Should().NotBeNull();
        result.Failure!.ToString().Should().Contain("NoSuchBucket");
        result.Targets.Single(target => target.Target == PipelineTarget.BundleVolume).Status.Should().Be(TargetStatus.Failed);
        bake.Harness.Logs.Text.Should().Contain("bundling stops").And.Contain("Stopping the volume bundler", "it was still bundling when the part failed");
        result.CleanupFailures.Should().BeEmpty();
        Directory.Exists(parameters["x509-upload-path"]).Should().BeFalse();
        Directory.Exists(parameters["instance-bundle-destination"]).Should().BeFalse();
        volume.LeftoverMountsAndLoops().Should().BeEmpty();
    }

    [Fact]
    public async Task A_part_that_fails_with_a_500_while_bundling_is_left_to_UploadBundle_and_the_bake_succeeds()
    {
        await using var bake = new Bake(cloud);
        var parameters = bake.LinuxParameters(LargeImage(bake));
        parameters["upload-attempts"] = "1";
        parameters["upload-concurrency"] = "1";
        cloud.Server.Faults.Clear();
        try
        {
            cloud.Server.Faults.Add(new FaultRule { Service = "s3", Operation = "PutObject", Kind = FaultKind.InternalError, MaxInjections = 1 });

            var result = await bake.RunAsync(parameters);

            result.Failure.Should().BeNull(bake.Harness.Logs.Text);
            cloud.Server.Faults.Injections.Should().ContainSingle();
            bake.Harness.Logs.Text.Should().Contain("UploadBundle sends it again").And.NotContain("failed for good");
            bake.LiveImagesNamed().Should().ContainSingle();
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }
    }

    /// <summary>60 MiB of random data: six parts, bundled for long enough that a failed first part lands mid-way.</summary>
    private static string LargeImage(Bake bake) =>
        TestImages.WriteSparse(Path.Combine(bake.Directory, "large.img"), 64 * TestImages.MiB, (0, 60 * TestImages.MiB));

    private Dictionary<string, string> LiveParameters(Bake bake, LiveVolume volume) => new(StringComparer.Ordinal)
    {
        ["bucket"] = bake.Bucket,
        ["x509-cert-path"] = bake.Keys.CertificatePath,
        ["x509-key-path"] = bake.Keys.KeyPath,
        ["ec2-cert-path"] = bake.Keys.Ec2CertificatePath,
        ["ami-name"] = bake.ImageName,
        ["instance-host"] = "127.0.0.1",
        ["ssh-port"] = sshd.Port.ToString(CultureInfo.InvariantCulture),
        ["ssh-user"] = sshd.User,
        ["ssh-key"] = sshd.ClientKeyPath,
        ["ssh-host-key-fingerprint"] = sshd.HostKeyFingerprint,
        ["volume"] = volume.MountPoint,
        ["volume-size"] = "128",
        ["x509-upload-path"] = Path.Combine(volume.Root, "staging"),
        ["instance-bundle-destination"] = Path.Combine(volume.Root, "bundle-dest"),
        ["upload-concurrency"] = "1",
    };

    /// <summary>The real strategies, with the bucket deleted right after PrepareBucket made it: every part upload then meets NoSuchBucket.</summary>
    private sealed class BucketDeletedAfterPrepareBucketPlugin : IPipelinePlugin
    {
        public void ConfigureServices(IServiceCollection services) => services.AddSingleton<IImageStrategy>(new Strategy(new InstanceStoreLinuxStrategy()));

        private sealed class Strategy(IImageStrategy inner) : IImageStrategy
        {
            public StrategyKey Key => inner.Key;

            public string Description => inner.Description;

            public IReadOnlyList<ParameterDefinition> Parameters => inner.Parameters;

            public TargetPlan Plan(PipelineTarget target, IParameterValues parameters)
            {
                var plan = inner.Plan(target, parameters);
                return target == PipelineTarget.PrepareBucket ? TargetPlan.Run([.. plan.Steps, typeof(DeleteBucket)]) : plan;
            }

            public ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken) => inner.ValidateAsync(context, cancellationToken);
        }
    }

    private sealed class DeleteBucket(ICloudClients clients) : IPipelineStep
    {
        public Task RunAsync(StepContext context, CancellationToken cancellationToken) =>
            clients.S3().DeleteBucketAsync(context.Parameters.Get(InstanceStoreParameters.Bucket), cancellationToken);

        public Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken) => Task.FromResult(CleanupOutcome.NothingToUndo);
    }
}
