using System.Text.Json;
using Amazon.EC2;
using Amazon.EC2.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Core.Engine;
using ImagePipeline.Testing;

namespace ImagePipeline.Strategies.Ebs.Tests;

public sealed class LinuxCaptureTests(PipelineCloudFixture cloud) : IClassFixture<PipelineCloudFixture>
{
    [Fact]
    public async Task A_running_instance_is_stopped_captured_published_and_started_again()
    {
        var instanceId = cloud.NewInstance();
        await using var bake = new EbsBake(cloud, instanceId)
            .With("tags", "team=platform,purpose=test")
            .With("snapshot-tags", "backup=none")
            .With("ami-description", "built by a test");

        var result = await bake.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        cloud.InstanceState(instanceId).Should().Be("running");
        cloud.InstanceHistory(instanceId).Should().ContainInOrder("running", "stopping", "stopped", "pending", "running");
        var images = await cloud.ImagesNamedAsync(bake.ImageName);
        var image = images.Should().ContainSingle().Subject;
        image.State.Should().Be(ImageState.Available);
        image.Description.Should().Be("built by a test");
        result.Outputs[WellKnownOutputs.ImageId].Should().Be(image.ImageId);
        JsonSerializer.Deserialize<Dictionary<string, string>>(result.Outputs[WellKnownOutputs.ImageIds])
            .Should().Equal(new Dictionary<string, string> { [PipelineCloudFixture.HomeRegion] = image.ImageId });
        image.Tags.Should().Contain(tag => tag.Key == "team" && tag.Value == "platform").And.Contain(tag => tag.Key == "purpose" && tag.Value == "test");
        var snapshots = await cloud.SnapshotsOfAsync(image);
        snapshots.Should().NotBeEmpty().And.OnlyContain(snapshot => snapshot.State == SnapshotState.Completed && snapshot.Tags.Any(tag => tag.Key == "backup" && tag.Value == "none"));
    }

    [Fact]
    public async Task No_reboot_images_the_instance_while_it_runs_and_never_stops_it()
    {
        var instanceId = cloud.NewInstance();
        await using var bake = new EbsBake(cloud, instanceId).With("no-reboot", "true");

        var result = await bake.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        cloud.InstanceHistory(instanceId).Should().OnlyContain(state => state == "running");
        (await cloud.ImagesNamedAsync(bake.ImageName)).Should().ContainSingle().Which.State.Should().Be(ImageState.Available);
        bake.Logs.Should().Contain("consistent");
    }

    [Fact]
    public async Task A_stopped_instance_is_captured_and_left_stopped()
    {
        var instanceId = cloud.NewInstance(state: "stopped");
        await using var bake = new EbsBake(cloud, instanceId);

        var result = await bake.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        cloud.InstanceHistory(instanceId).Should().OnlyContain(state => state == "stopped");
        (await cloud.ImagesNamedAsync(bake.ImageName)).Should().ContainSingle();
    }

    [Fact]
    public async Task Leave_stopped_keeps_the_instance_stopped_after_the_capture()
    {
        var instanceId = cloud.NewInstance();
        await using var bake = new EbsBake(cloud, instanceId).With("leave-stopped", "true");

        var result = await bake.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        cloud.InstanceState(instanceId).Should().Be("stopped");
    }

    [Fact]
    public async Task Excluded_devices_and_volume_overrides_shape_the_image()
    {
        var instanceId = cloud.NewInstance();
        await using var bake = new EbsBake(cloud, instanceId).With("root-volume-size", "20").With("volume-type", "gp2");

        var result = await bake.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        var image = (await cloud.ImagesNamedAsync(bake.ImageName)).Should().ContainSingle().Subject;
        var root = image.BlockDeviceMappings.Should().ContainSingle(mapping => mapping.DeviceName == image.RootDeviceName).Subject;
        root.Ebs.VolumeSize.Should().Be(20);
        root.Ebs.VolumeType.Should().Be(VolumeType.Gp2);
    }

    [Fact]
    public async Task Name_placeholders_are_expanded_once()
    {
        var instanceId = cloud.NewInstance();
        await using var bake = new EbsBake(cloud, instanceId).With("ami-name", $"placeholder-{Guid.NewGuid():N}-{{date}}-{{git_sha}}");

        var result = await bake.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        using var ec2 = cloud.Ec2();
        var image = await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [result.Outputs[WellKnownOutputs.ImageId]] });
        image.Images.Single().Name.Should().MatchRegex(@"^placeholder-[0-9a-f]{32}-\d{4}-\d{2}-\d{2}-(unknown|[0-9a-f]{7,})$");
    }
}
