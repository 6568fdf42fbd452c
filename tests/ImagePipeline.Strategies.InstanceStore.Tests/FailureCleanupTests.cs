using ImagePipeline.Abstractions;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

[Collection(LocalCloudCollection.Name)]
public sealed class FailureCleanupTests(InstanceStoreCloudFixture cloud)
{
    [Theory]
    [InlineData(PipelineTarget.PrepareBucket)]
    [InlineData(PipelineTarget.CopyCertificates)]
    [InlineData(PipelineTarget.BundleVolume)]
    [InlineData(PipelineTarget.UploadBundle)]
    [InlineData(PipelineTarget.RegisterImage)]
    public async Task A_failure_after_any_target_leaves_nothing_the_run_created(PipelineTarget failAfter)
    {
        await using var bake = new Bake(cloud, new FailAfterTargetPlugin(failAfter));
        var parameters = bake.LinuxParameters(bake.SmallImage());
        parameters["bundle-destination"] = Path.Combine(bake.Directory, "bundle");

        var result = await bake.RunAsync(parameters);

        result.Outcome.Should().Be(RunOutcome.Failed);
        result.Failure!.Message.Should().Be(InjectedFailureStep.Message);
        result.CleanupFailures.Should().BeEmpty();
        bake.BucketExists.Should().BeFalse();
        bake.LiveImagesNamed().Should().BeEmpty();
        bake.StagedKeyFolders().Should().BeEmpty();
        result.Outputs.Should().NotContainKey(WellKnownOutputs.ImageId);
    }

    [Fact]
    public async Task A_failure_with_keep_on_failure_keeps_bucket_uploads_and_image_but_never_the_staged_key()
    {
        await using var bake = new Bake(cloud, new FailAfterTargetPlugin(PipelineTarget.RegisterImage));
        var parameters = bake.LinuxParameters(bake.SmallImage());
        parameters["keep-on-failure"] = "true";
        parameters["bundle-prefix"] = "kept";

        var result = await bake.RunAsync(parameters);

        result.Outcome.Should().Be(RunOutcome.Failed);
        bake.BucketExists.Should().BeTrue();
        bake.ObjectKeys.Should().BeEquivalentTo("kept/kept.manifest.xml", "kept/kept.part.0");
        bake.LiveImagesNamed().Should().ContainSingle();
        bake.StagedKeyFolders().Should().BeEmpty();
    }

    [Fact]
    public async Task An_existing_bucket_is_never_deleted_by_a_failed_run()
    {
        await using var bake = new Bake(cloud, new FailAfterTargetPlugin(PipelineTarget.UploadBundle));
        var parameters = bake.LinuxParameters(bake.SmallImage());
        await using (var first = new Bake(cloud))
        {
            // A bucket made by an earlier, successful run of another bake is "existing" for this one.
            var earlier = first.LinuxParameters(first.SmallImage());
            earlier["bucket"] = bake.Bucket;
            (await first.RunAsync(earlier, "PrepareBucket")).Outcome.Should().Be(RunOutcome.Succeeded);
        }

        var result = await bake.RunAsync(parameters);

        result.Outcome.Should().Be(RunOutcome.Failed);
        bake.BucketExists.Should().BeTrue();
        bake.ObjectKeys.Should().BeEmpty("the run's own uploads are deleted");
    }
}
