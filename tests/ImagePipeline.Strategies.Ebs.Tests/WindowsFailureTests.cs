using ImagePipeline.Abstractions;
using ImagePipeline.LocalCloud.Faults;
using ImagePipeline.Testing;

namespace ImagePipeline.Strategies.Ebs.Tests;

/// <summary>A Windows bake that fails around Sysprep still leaves nothing behind and the instance running.</summary>
public sealed class WindowsFailureTests(PipelineCloudFixture cloud) : IClassFixture<PipelineCloudFixture>
{
    [Theory]
    [InlineData("ssm", "SendCommand", 1)]
    [InlineData("ssm", "GetCommandInvocation", 1)]
    [InlineData("ec2", "CreateImage", 1)]
    public async Task A_failure_around_sysprep_leaves_no_image_and_the_instance_running(string service, string operation, int nthCall)
    {
        var instanceId = cloud.NewInstance(platform: "windows");
        var before = cloud.Census(PipelineCloudFixture.HomeRegion);
        await using var bake = new EbsBake(cloud, instanceId, platform: "windows").With("generalize", "true").With("max-attempts", "1");
        cloud.Server.Faults.Add(new FaultRule { Service = service, Operation = operation, Kind = FaultKind.InternalError, EveryNth = nthCall, MaxInjections = 1 });
        try
        {
            var result = await bake.RunAsync();

            result.Outcome.Should().Be(RunOutcome.Failed, bake.Logs);
            result.CleanupFailures.Should().BeEmpty();
            cloud.Census(PipelineCloudFixture.HomeRegion).NewSince(before).Should().BeEquivalentTo(new ResourceCensus([], []));
            cloud.InstanceState(instanceId).Should().Be("running");
            if (operation != "SendCommand")
            {
                cloud.InstanceHistory(instanceId).Should().ContainInOrder(["stopped", "running"], "the cleanup waits for Sysprep's shutdown before starting the instance again");
            }
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }
    }
}
