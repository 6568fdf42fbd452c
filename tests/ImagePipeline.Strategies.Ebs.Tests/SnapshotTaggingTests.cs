using ImagePipeline.Abstractions;
using ImagePipeline.LocalCloud.Faults;
using ImagePipeline.Testing;

namespace ImagePipeline.Strategies.Ebs.Tests;

/// <summary>
/// Snapshots are tagged after the image names them, as Packer does, because moto and LocalStack fail CreateImage when it
/// carries a snapshot tag specification (issue 12 item 14); the image keeps its run-id tag from CreateImage, so a cleanup
/// still finds a half-made image and, through it, its snapshots.
/// </summary>
public sealed class SnapshotTaggingTests(PipelineCloudFixture cloud) : IClassFixture<PipelineCloudFixture>
{
    [Fact]
    public async Task After_capture_the_image_and_its_snapshots_carry_the_run_id_and_the_snapshots_their_tags()
    {
        await using var bake = new EbsBake(cloud, cloud.NewInstance()).With("snapshot-tags", "backup=none,team=platform");

        var result = await bake.RunAsync("BundleVolume");

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        var image = (await cloud.ImagesNamedAsync(bake.ImageName)).Should().ContainSingle().Subject;
        image.Tags.Should().Contain(tag => tag.Key == "imagepipeline:run-id" && tag.Value == result.RunId);
        (await cloud.SnapshotsOfAsync(image)).Should().NotBeEmpty().And.OnlyContain(snapshot =>
            snapshot.Tags.Any(tag => tag.Key == "imagepipeline:run-id" && tag.Value == result.RunId)
            && snapshot.Tags.Any(tag => tag.Key == "backup" && tag.Value == "none")
            && snapshot.Tags.Any(tag => tag.Key == "team" && tag.Value == "platform"));
    }

    [Fact]
    public async Task CreateImage_is_never_asked_to_tag_snapshots_which_moto_and_localstack_refuse()
    {
        // The snapshot tagging after CreateImage fails and the run keeps what it made: the snapshots show what CreateImage itself did.
        await using var bake = new EbsBake(cloud, cloud.NewInstance()).With("snapshot-tags", "backup=none").With("max-attempts", "1").With("keep-on-failure", "true");
        cloud.Server.Faults.Add(new FaultRule { Service = "ec2", Operation = "CreateTags", Kind = FaultKind.InternalError, MaxInjections = 1 });
        try
        {
            var result = await bake.RunAsync("BundleVolume");

            result.Outcome.Should().Be(RunOutcome.Failed, bake.Logs);
            var image = (await cloud.ImagesNamedAsync(bake.ImageName)).Should().ContainSingle().Subject;
            image.Tags.Should().Contain(tag => tag.Key == "imagepipeline:run-id", "the image is tagged by CreateImage, which moto supports");
            (await cloud.SnapshotsOfAsync(image)).Should().NotBeEmpty().And.OnlyContain(snapshot => snapshot.Tags == null || snapshot.Tags.Count == 0);
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }
    }
}
