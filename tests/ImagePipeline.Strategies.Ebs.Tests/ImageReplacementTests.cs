using ImagePipeline.Abstractions;
using ImagePipeline.Core.Sessions;
using ImagePipeline.LocalCloud.Faults;
using ImagePipeline.Testing;

namespace ImagePipeline.Strategies.Ebs.Tests;

/// <summary>--force-deregister never leaves the user without an image of that name, whatever fails.</summary>
public sealed class ImageReplacementTests(PipelineCloudFixture cloud) : IClassFixture<PipelineCloudFixture>
{
    private const string CopyRegion = "us-west-2";

    [Fact]
    public async Task A_failure_before_the_old_image_is_removed_keeps_the_old_image_and_removes_the_new_one()
    {
        var (name, oldImageId) = await ExistingImageAsync();
        var instanceId = cloud.NewInstance();
        var before = cloud.Census(PipelineCloudFixture.HomeRegion);
        await using var bake = Replacing(name, instanceId).With("max-attempts", "1");
        cloud.Server.Faults.Add(new FaultRule { Service = "ec2", Operation = "DeregisterImage", Kind = FaultKind.InternalError, MaxInjections = 1 });
        try
        {
            var result = await bake.RunAsync();

            result.Outcome.Should().Be(RunOutcome.Failed, bake.Logs);
            result.CleanupFailures.Should().BeEmpty();
            (await cloud.ImagesNamedAsync(name)).Should().ContainSingle().Which.ImageId.Should().Be(oldImageId);
            cloud.Census(PipelineCloudFixture.HomeRegion).NewSince(before).Should().BeEquivalentTo(new ResourceCensus([], []));
            cloud.InstanceState(instanceId).Should().Be("running");
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }
    }

    [Fact]
    public async Task A_failure_after_the_old_image_is_removed_keeps_the_new_image()
    {
        var (name, oldImageId) = await ExistingImageAsync();
        var instanceId = cloud.NewInstance();
        await using var bake = Replacing(name, instanceId).With("max-attempts", "1");
        cloud.Server.Faults.Add(new FaultRule { Service = "ec2", Operation = "CopyImage", Kind = FaultKind.InternalError, MaxInjections = 1 });
        try
        {
            var result = await bake.RunAsync();

            result.Outcome.Should().Be(RunOutcome.Failed, bake.Logs);
            cloud.Region().Images[oldImageId].Deregistered.Should().BeTrue();
            cloud.Region().Images.Values.Should().ContainSingle(image => !image.Deregistered && image.Name.StartsWith(name, StringComparison.Ordinal),
                "the new image, still under its temporary name, is all the user has left");
            bake.Logs.Should().Contain("Keeping image");
            cloud.InstanceState(instanceId).Should().Be("running");
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }
    }

    [Fact]
    public async Task Force_deregister_also_replaces_the_old_image_in_copy_regions()
    {
        var (name, _) = await ExistingImageAsync(copyToRegion: true);
        var oldCopy = (await cloud.ImagesNamedAsync(name, CopyRegion)).Single();
        await using var bake = Replacing(name, cloud.NewInstance()).With("copy-to-regions", CopyRegion);

        var result = await bake.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        foreach (var region in new[] { PipelineCloudFixture.HomeRegion, CopyRegion })
        {
            cloud.Region(region).Images.Values.Count(image => !image.Deregistered && image.Name.StartsWith(name, StringComparison.Ordinal)).Should().Be(1);
        }

        (await cloud.ImagesNamedAsync(name, CopyRegion)).Should().ContainSingle().Which.ImageId.Should().NotBe(oldCopy.ImageId);
    }

    [Fact]
    public async Task A_name_taken_in_a_copy_region_is_refused_without_force_deregister()
    {
        var (name, _) = await ExistingImageAsync(copyToRegion: true);
        await using var bake = new EbsBake(cloud, cloud.NewInstance()).With("ami-name", name).With("copy-to-regions", CopyRegion);

        var act = () => bake.RunAsync();

        (await act.Should().ThrowAsync<ValidationFailedException>()).Which.Errors
            .Should().Contain(message => message.Contains($"in {CopyRegion}", StringComparison.Ordinal) && message.Contains("--copy-to-regions", StringComparison.Ordinal));
    }

    private EbsBake Replacing(string name, string instanceId) =>
        new EbsBake(cloud, instanceId).With("ami-name", name).With("force-deregister", "true").With("force-delete-snapshots", "true");

    private async Task<(string Name, string ImageId)> ExistingImageAsync(bool copyToRegion = false)
    {
        await using var bake = new EbsBake(cloud, cloud.NewInstance()).With("no-reboot", "true");
        if (copyToRegion)
        {
            bake.With("copy-to-regions", CopyRegion);
        }

        var result = await bake.RunAsync();
        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        return (bake.ImageName, result.Outputs[WellKnownOutputs.ImageId]);
    }
}
