using ImagePipeline.Abstractions;
using ImagePipeline.Core.Engine;
using ImagePipeline.LocalCloud.Faults;
using ImagePipeline.Testing;

namespace ImagePipeline.Strategies.Ebs.Tests;

public sealed class ResumeTests(PipelineCloudFixture cloud) : IClassFixture<PipelineCloudFixture>
{
    [Fact]
    public async Task A_capture_can_be_published_later_by_resuming_towards_register_image()
    {
        var instanceId = cloud.NewInstance();
        await using var bake = new EbsBake(cloud, instanceId).With("ami-name", $"resume-{Guid.NewGuid():N}-{{timestamp}}").With("tags", "team=platform");

        var captured = await bake.RunAsync("BundleVolume");
        captured.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        cloud.InstanceState(instanceId).Should().Be("running");
        var stopsAfterCapture = cloud.InstanceHistory(instanceId).Count(state => state == "stopping");

        var published = await bake.ResumeAsync(captured.RunId);

        published.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        published.Outputs[WellKnownOutputs.ImageId].Should().Be(captured.Outputs[WellKnownOutputs.ImageId]);
        cloud.InstanceHistory(instanceId).Count(state => state == "stopping").Should().Be(stopsAfterCapture, "the image exists, so the instance is not stopped again");
        cloud.InstanceState(instanceId).Should().Be("running");
        cloud.Region().Images.Values.Count(image => !image.Deregistered && image.SourceInstanceId == instanceId).Should().Be(1);
    }

    [Fact]
    public async Task A_run_that_failed_while_publishing_with_keep_on_failure_resumes_without_a_second_image()
    {
        var instanceId = cloud.NewInstance();
        await using var bake = new EbsBake(cloud, instanceId).With("keep-on-failure", "true").With("max-attempts", "1").With("tags", "team=platform");
        cloud.Server.Faults.Add(new FaultRule { Service = "ec2", Operation = "CreateTags", Kind = FaultKind.InternalError, MaxInjections = 1 });
        RunResult failed;
        try
        {
            failed = await bake.RunAsync();
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }

        failed.Outcome.Should().Be(RunOutcome.Failed);

        var resumed = await bake.ResumeAsync(failed.RunId);

        resumed.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        (await cloud.ImagesNamedAsync(bake.ImageName)).Should().ContainSingle().Which.Tags.Should().Contain(tag => tag.Key == "team");
        cloud.InstanceState(instanceId).Should().Be("running");
    }
}
