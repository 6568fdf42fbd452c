using ImagePipeline.Abstractions;
using ImagePipeline.Core.Engine;
using ImagePipeline.LocalCloud.Faults;
using ImagePipeline.Testing.Images;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>Uses faults of the shared local cloud, so it runs in the collection (never in parallel with other tests).</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class ResumeTests(InstanceStoreCloudFixture cloud)
{
    [Fact]
    public async Task A_resumed_run_after_a_failed_upload_uploads_only_the_missing_parts_and_registers_one_image()
    {
        await using var bake = new Bake(cloud);
        // 25 MiB of random data bundles into three parts.
        var image = TestImages.WriteRandom(Path.Combine(bake.Directory, "big.img"), 25 * TestImages.MiB);
        var parameters = bake.LinuxParameters(image);
        parameters["bundle-prefix"] = "resumable";
        parameters["upload-concurrency"] = "1";
        parameters["upload-attempts"] = "1";
        parameters["max-attempts"] = "1";
        cloud.Server.Faults.Clear();
        try
        {
            // The third PUT (the last part, sent while bundling) fails, and so does its second try by UploadBundle (the
            // second rule counts the PUTs the first let through, so it fails the fourth): two parts are in the bucket,
            // the manifest is not.
            cloud.Server.Faults.Add(new FaultRule { Service = "s3", Operation = "PutObject", Kind = FaultKind.InternalError, EveryNth = 3, MaxInjections = 1 });
            cloud.Server.Faults.Add(new FaultRule { Service = "s3", Operation = "PutObject", Kind = FaultKind.InternalError, EveryNth = 3, MaxInjections = 1 });
            var failed = await bake.RunAsync(new Dictionary<string, string>(parameters) { ["keep-on-failure"] = "true" });
            failed.Outcome.Should().Be(RunOutcome.Failed);
            bake.ObjectKeys.Should().BeEquivalentTo("resumable/resumable.part.0", "resumable/resumable.part.1");
            bake.LiveImagesNamed().Should().BeEmpty();

            cloud.Server.Faults.Clear();
            cloud.Server.Faults.Add(new FaultRule { Service = "s3", Operation = "PutObject", Kind = FaultKind.Latency, Latency = TimeSpan.Zero });
            var resumed = await bake.RunAsync(parameters, resume: failed.RunId);

            resumed.Failure.Should().BeNull();
            resumed.Outcome.Should().Be(RunOutcome.Succeeded);
            resumed.RunId.Should().Be(failed.RunId);
            resumed.Targets.Single(target => target.Target == PipelineTarget.BundleVolume).Status.Should().Be(TargetStatus.Resumed);
            cloud.Server.Faults.Injections.Should().HaveCount(2, "only the missing part and the manifest are sent again");
            bake.ObjectKeys.Should().HaveCount(4);
            bake.LiveImagesNamed().Should().ContainSingle().Which.ImageLocation.Should().Be($"{bake.Bucket}/resumable/resumable.manifest.xml");
            bake.StagedKeyFolders().Should().BeEmpty();
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }
    }

    [Fact]
    public async Task Throttled_and_failing_uploads_are_retried_until_they_succeed()
    {
        await using var bake = new Bake(cloud);
        var parameters = bake.LinuxParameters(bake.SmallImage());
        parameters["max-attempts"] = "1";
        cloud.Server.Faults.Clear();
        try
        {
            cloud.Server.Faults.Add(new FaultRule { Service = "s3", Operation = "PutObject", Kind = FaultKind.Throttle, MaxInjections = 2 });
            cloud.Server.Faults.Add(new FaultRule { Service = "s3", Operation = "PutObject", Kind = FaultKind.ResetRequestBody, EveryNth = 2, MaxInjections = 1 });

            var result = await bake.RunAsync(parameters);

            result.Failure.Should().BeNull();
            result.Outcome.Should().Be(RunOutcome.Succeeded);
            cloud.Server.Faults.InjectedCount.Should().Be(3);
            bake.LiveImagesNamed().Should().ContainSingle();
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }
    }
}
