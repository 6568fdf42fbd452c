using ImagePipeline.Abstractions;
using ImagePipeline.Testing;

namespace ImagePipeline.Strategies.Ebs.Tests;

public sealed class WindowsCaptureTests(PipelineCloudFixture cloud) : IClassFixture<PipelineCloudFixture>
{
    [Fact]
    public async Task Generalize_runs_sysprep_over_ssm_then_captures_the_stopped_instance_and_starts_it_again()
    {
        var instanceId = cloud.NewInstance(platform: "windows");
        await using var bake = new EbsBake(cloud, instanceId, platform: "windows").With("generalize", "true");

        var result = await bake.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        var command = cloud.Region().Commands.Values.Should().ContainSingle(c => c.InstanceIds.Contains(instanceId)).Subject;
        command.DocumentName.Should().Be("AWS-RunPowerShellScript");
        command.ShutsDown.Should().BeTrue();
        command.Parameters["commands"].Should().ContainSingle().Which.Should().Contain("ec2launch.exe").And.Contain("sysprep");
        cloud.InstanceHistory(instanceId).Should().ContainInOrder("running", "stopped", "running");
        cloud.InstanceState(instanceId).Should().Be("running");
        var image = (await cloud.ImagesNamedAsync(bake.ImageName)).Should().ContainSingle().Subject;
        image.Platform.Value.Should().BeEquivalentTo("windows");
        image.BlockDeviceMappings.Should().HaveCount(2);
        bake.Logs.Should().NotContain("keeps the identity");
    }

    [Fact]
    public async Task Without_generalize_the_log_says_the_image_keeps_the_instance_identity()
    {
        var instanceId = cloud.NewInstance(platform: "windows");
        await using var bake = new EbsBake(cloud, instanceId, platform: "windows").With("exclude-devices", "/dev/xvdf");

        var result = await bake.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        bake.Logs.Should().Contain("keeps the identity").And.Contain("machine SID");
        cloud.Region().Commands.Values.Should().NotContain(c => c.InstanceIds.Contains(instanceId));
        cloud.InstanceHistory(instanceId).Should().ContainInOrder("running", "stopping", "stopped", "running");
        var image = (await cloud.ImagesNamedAsync(bake.ImageName)).Should().ContainSingle().Subject;
        image.BlockDeviceMappings.Should().ContainSingle("the excluded /dev/xvdf is left out").Which.DeviceName.Should().Be("/dev/sda1");
    }
}
