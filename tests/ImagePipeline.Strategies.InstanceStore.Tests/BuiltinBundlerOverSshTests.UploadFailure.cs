using ImagePipeline.Abstractions;
using ImagePipeline.Core.Engine;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>A part the instance wrote that S3 refuses for good while bundling stops the volume bundler at once.</summary>
public sealed partial class BuiltinBundlerOverSshTests
{
    [Fact]
    public async Task A_bucket_gone_while_a_live_volume_is_bundled_stops_the_volume_bundler_at_once_and_leaves_nothing_on_the_instance()
    {
        await using var bake = new Bake(cloud, new BucketDeletedAfterPrepareBucketPlugin());
        using var volume = LiveVolume.CreateEmpty(bake.Directory, megabytes: 128);
        LiveVolume.Run($"head -c 60000000 /dev/urandom > {LiveVolume.Quote(volume.Path("random"))}");
        var parameters = Parameters(bake, volume);
        parameters["volume-size"] = "128";
        parameters["upload-concurrency"] = "1";
        parameters["x509-upload-path"] = Path.Combine(volume.Root, "staging");
        parameters["instance-bundle-destination"] = Path.Combine(volume.Root, "bundle-dest");

        var result = await bake.RunAsync(parameters, "UploadBundle");

        result.Failure.Should().NotBeNull();
        result.Failure!.ToString().Should().Contain("NoSuchBucket");
        result.Targets.Single(target => target.Target == PipelineTarget.BundleVolume).Status.Should().Be(TargetStatus.Failed);
        bake.Harness.Logs.Text.Should().Contain("bundling stops").And.Contain("Stopping the volume bundler", "it was still bundling when the part failed");
        result.CleanupFailures.Should().BeEmpty();
        AssertNothingLeftOnTheInstance(volume, parameters);
    }
}
