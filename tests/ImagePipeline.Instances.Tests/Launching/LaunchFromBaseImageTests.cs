using Amazon.EC2.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Core.Engine;
using ImagePipeline.Core.Sessions;
using ImagePipeline.LocalCloud.Faults;
using ImagePipeline.Testing;

namespace ImagePipeline.Instances.Tests.Launching;

/// <summary>Base image → launched instance → EBS image, and the instance terminated whatever the outcome.</summary>
public sealed class LaunchFromBaseImageTests(PipelineCloudFixture cloud) : IClassFixture<PipelineCloudFixture>
{
    private const string AmazonLinux = "ami-0000000000000b001";

    [Fact]
    public async Task An_ebs_image_is_captured_from_an_instance_launched_from_a_base_image_and_the_instance_is_terminated()
    {
        await using var bake = new LaunchBake(cloud).With("source-ami", AmazonLinux).With("instance-tags", "team=platform");

        var result = await bake.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        result.Targets.Select(target => target.Status).Should().Equal(
            TargetStatus.Succeeded, TargetStatus.NotApplicable, TargetStatus.NotApplicable, TargetStatus.NotApplicable, TargetStatus.Succeeded, TargetStatus.NotApplicable, TargetStatus.Succeeded);
        var instance = (await bake.InstancesAsync()).Should().ContainSingle(candidate => Tag(candidate, "imagepipeline:run-id") == result.RunId).Subject;
        instance.ImageId.Should().Be(AmazonLinux);
        instance.State.Name.Value.Should().Be("terminated", "the image is captured, so the instance is not needed any more");
        Tag(instance, "team").Should().Be("platform");
        Tag(instance, "Name").Should().StartWith($"imagepipeline {result.RunId}");
        instance.KeyName.Should().BeNullOrEmpty("an EBS capture logs in to nothing, so no key pair is made");
        var image = (await cloud.ImagesNamedAsync(bake.ImageName)).Should().ContainSingle().Subject;
        image.State.Value.Should().Be("available");
        result.Outputs[WellKnownOutputs.ImageId].Should().Be(image.ImageId);
        cloud.InstanceHistory(instance.InstanceId).Should().StartWith(["pending", "running"])
            .And.EndWith(["stopping", "stopped", "shutting-down", "terminated"], "a launched instance is not started again after the capture");
    }

    [Fact]
    public async Task With_most_recent_the_newest_image_the_filter_matches_is_launched()
    {
        var prefix = $"recent-{Guid.NewGuid():N}";
        await LaunchBake.CreateBaseImageAsync(cloud, $"{prefix}-1");
        cloud.Clock.Advance(TimeSpan.FromMinutes(1));
        var newest = await LaunchBake.CreateBaseImageAsync(cloud, $"{prefix}-2");
        await using var bake = new LaunchBake(cloud).With("source-ami-filter", $"name={prefix}-*,owner=self").With("source-ami-most-recent", "true");

        var result = await bake.RunAsync("LaunchInstance");

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        (await bake.InstancesAsync()).Should().ContainSingle(candidate => Tag(candidate, "imagepipeline:run-id") == result.RunId).Which.ImageId.Should().Be(newest);
    }

    [Theory]
    [InlineData("CreateImage", FaultKind.InternalError)]
    [InlineData("DescribeInstanceStatus", FaultKind.InternalError)]
    public async Task A_failed_run_terminates_the_instance_it_launched_and_leaves_no_image(string operation, FaultKind kind)
    {
        var before = LiveOwnedImages();
        await using var bake = new LaunchBake(cloud).With("source-ami", AmazonLinux).With("max-attempts", "1");
        cloud.Server.Faults.Add(new FaultRule { Service = "ec2", Operation = operation, Kind = kind, MaxInjections = 1 });
        try
        {
            var result = await bake.RunAsync();

            result.Outcome.Should().Be(RunOutcome.Failed, bake.Logs);
            result.CleanupFailures.Should().BeEmpty();
            (await bake.InstancesAsync()).Should().ContainSingle(candidate => Tag(candidate, "imagepipeline:run-id") == result.RunId)
                .Which.State.Name.Value.Should().Be("terminated");
            LiveOwnedImages().Should().BeEquivalentTo(before, "the captured image is removed with its failed run");
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }
    }

    [Fact]
    public async Task Keep_on_failure_keeps_the_launched_instance_and_a_resumed_run_captures_that_same_instance()
    {
        await using var bake = new LaunchBake(cloud).With("source-ami", AmazonLinux).With("max-attempts", "1").With("keep-on-failure", "true");
        cloud.Server.Faults.Add(new FaultRule { Service = "ec2", Operation = "CreateImage", Kind = FaultKind.InternalError, MaxInjections = 1 });
        RunResult failed;
        try
        {
            failed = await bake.RunAsync();
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }

        failed.Outcome.Should().Be(RunOutcome.Failed, bake.Logs);
        var kept = (await bake.InstancesAsync()).Single(candidate => Tag(candidate, "imagepipeline:run-id") == failed.RunId);
        kept.State.Name.Value.Should().BeOneOf(["pending", "running"], "a kept instance is started again after the failed capture, for the resumed run");

        var resumed = await bake.ResumeAsync(failed.RunId);

        resumed.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        (await bake.InstancesAsync()).Where(candidate => Tag(candidate, "imagepipeline:run-id") == failed.RunId).Should().ContainSingle("the kept instance is reused, not launched again")
            .Which.State.Name.Value.Should().Be("terminated");
        (await cloud.ImagesNamedAsync(bake.ImageName)).Should().ContainSingle();
    }

    [Fact]
    public async Task A_run_up_to_launch_instance_resumed_towards_register_image_captures_the_instance_it_launched()
    {
        await using var bake = new LaunchBake(cloud).With("source-ami", AmazonLinux).With("keep-instance", "true");
        var launched = await bake.RunAsync("LaunchInstance");
        launched.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        launched.Targets.Should().ContainSingle().Which.Target.Should().Be(PipelineTarget.LaunchInstance);
        var instance = (await bake.InstancesAsync()).Single(candidate => Tag(candidate, "imagepipeline:run-id") == launched.RunId);

        var registered = await bake.ResumeAsync(launched.RunId);

        registered.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        registered.Targets[0].Status.Should().Be(TargetStatus.Resumed);
        (await bake.InstancesAsync()).Where(candidate => Tag(candidate, "imagepipeline:run-id") == launched.RunId).Should().ContainSingle()
            .Which.InstanceId.Should().Be(instance.InstanceId);
        (await cloud.ImagesNamedAsync(bake.ImageName)).Should().ContainSingle().Which.SourceInstanceId.Should().Be(instance.InstanceId);
    }

    [Fact]
    public async Task Keep_instance_leaves_the_launched_instance_running_after_success()
    {
        await using var bake = new LaunchBake(cloud).With("source-ami", AmazonLinux).With("keep-instance", "true").With("no-reboot", "true");

        var result = await bake.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        (await bake.InstancesAsync()).Single(candidate => Tag(candidate, "imagepipeline:run-id") == result.RunId).State.Name.Value.Should().Be("running");
        bake.Logs.Should().Contain("Keeping").And.Contain("--keep-instance");
    }

    [Fact]
    public async Task An_instance_type_the_image_architecture_cannot_run_is_refused_and_nothing_is_launched()
    {
        await using var bake = new LaunchBake(cloud).With("source-ami", AmazonLinux).With("instance-type", "t4g.micro");
        var before = await bake.InstancesAsync();

        var run = () => bake.RunAsync();

        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors.Should().ContainSingle()
            .Which.Should().Contain("--instance-type t4g.micro runs arm64").And.Contain($"base image {AmazonLinux} is x86_64");
        (await bake.InstancesAsync()).Should().HaveSameCount(before);
    }

    [Fact]
    public async Task A_windows_instance_store_base_image_asked_for_an_ebs_image_is_refused_with_aws_s_rule()
    {
        await using var bake = new LaunchBake(cloud, platform: "windows").With("source-ami", "ami-0000000000000b004").With("instance-type", "m3.medium");
        var before = await bake.InstancesAsync();

        var run = () => bake.RunAsync();

        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors.Should()
            .Contain(error => error.Contains("AWS cannot create an EBS-backed AMI from an instance-store-backed Windows instance", StringComparison.Ordinal));
        (await bake.InstancesAsync()).Should().HaveSameCount(before);
    }

    [Fact]
    public async Task A_windows_base_image_is_provisioned_through_ssm_once_its_agent_is_online_and_captured()
    {
        var script = Path.Combine(cloud.Subdirectory($"scripts-{Guid.NewGuid():N}"), "install.ps1");
        await File.WriteAllTextAsync(script, "Write-Output 'installing web'\n");
        await using var bake = new LaunchBake(cloud, platform: "windows")
            .With("source-ami", "ami-0000000000000b002").With("iam-instance-profile", "ssm-builder").With("provision-script", script);

        var result = await bake.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        bake.Logs.Should().Contain("The SSM agent on").And.Contain("is online");
        result.Targets[1].Status.Should().Be(TargetStatus.Succeeded, "ProvisionInstance ran on the launched instance");
        (await bake.InstancesAsync()).Single(candidate => Tag(candidate, "imagepipeline:run-id") == result.RunId).State.Name.Value.Should().Be("terminated");
        (await cloud.ImagesNamedAsync(bake.ImageName)).Should().ContainSingle().Which.Platform.Should().Be(Amazon.EC2.PlatformValues.Windows);
    }

    [Fact]
    public async Task Windows_provisioning_without_an_instance_profile_is_refused_before_anything_is_launched()
    {
        var script = Path.Combine(cloud.Subdirectory($"scripts-{Guid.NewGuid():N}"), "install.ps1");
        await File.WriteAllTextAsync(script, "Write-Output 'installing web'\n");
        await using var bake = new LaunchBake(cloud, platform: "windows").With("source-ami", "ami-0000000000000b002").With("provision-script", script);
        var before = await bake.InstancesAsync();

        var run = () => bake.RunAsync();

        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors.Should()
            .Contain(error => error.StartsWith("--iam-instance-profile is required to reach a launched Windows instance through SSM Run Command", StringComparison.Ordinal));
        (await bake.InstancesAsync()).Should().HaveSameCount(before);
    }

    [Fact]
    public async Task A_windows_base_image_generalized_without_provisioning_waits_for_its_ssm_agent_before_sysprep()
    {
        await using var bake = new LaunchBake(cloud, platform: "windows")
            .With("source-ami", "ami-0000000000000b002").With("iam-instance-profile", "ssm-builder").With("generalize", "true");

        var result = await bake.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        bake.Logs.Should().Contain("The SSM agent on").And.Contain("Running Sysprep on");
        bake.Logs.IndexOf("is online", StringComparison.Ordinal).Should().BeLessThan(bake.Logs.IndexOf("Running Sysprep on", StringComparison.Ordinal), "Sysprep is sent once the agent answers");
        (await cloud.ImagesNamedAsync(bake.ImageName)).Should().ContainSingle();
    }

    [Fact]
    public async Task Generalizing_a_launched_windows_instance_without_an_instance_profile_is_refused_before_anything_is_launched()
    {
        await using var bake = new LaunchBake(cloud, platform: "windows").With("source-ami", "ami-0000000000000b002").With("generalize", "true");
        var before = await bake.InstancesAsync();

        var run = () => bake.RunAsync();

        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors.Should()
            .ContainSingle(error => error.StartsWith("--iam-instance-profile is required to reach a launched Windows instance through SSM Run Command", StringComparison.Ordinal));
        (await bake.InstancesAsync()).Should().HaveSameCount(before);
    }

    private IReadOnlyList<string> LiveOwnedImages() => cloud.OwnedImages().Where(image => !image.Deregistered).Select(image => image.ImageId).ToArray();

    private static string? Tag(Instance instance, string key) => (instance.Tags ?? []).FirstOrDefault(tag => tag.Key == key)?.Value;
}
