using ImagePipeline.Abstractions;
using ImagePipeline.LocalCloud.Faults;
using ImagePipeline.Testing;

namespace ImagePipeline.Strategies.Ebs.Tests;

/// <summary>A failed AWS call at any point of a bake leaves nothing behind: no new image, no new snapshot, the instance as it was.</summary>
public sealed class FailureCleanupTests(PipelineCloudFixture cloud) : IClassFixture<PipelineCloudFixture>
{
    private const string CopyRegion = "us-west-2";

    [Theory]
    [InlineData("StopInstances", 1, FaultKind.InternalError)]
    [InlineData("DescribeInstances", 3, FaultKind.InternalError)]
    [InlineData("CreateImage", 1, FaultKind.InternalError)]
    [InlineData("CreateImage", 1, FaultKind.ResetResponse)]
    [InlineData("DescribeSnapshots", 1, FaultKind.InternalError)]
    [InlineData("DescribeImages", 3, FaultKind.InternalError)]
    [InlineData("CreateTags", 1, FaultKind.InternalError)]
    [InlineData("CreateTags", 2, FaultKind.InternalError)]
    [InlineData("CreateTags", 3, FaultKind.InternalError)]
    [InlineData("ModifyImageAttribute", 1, FaultKind.InternalError)]
    [InlineData("EnableImageDeprecation", 1, FaultKind.InternalError)]
    [InlineData("CopyImage", 1, FaultKind.InternalError)]
    public async Task A_failure_leaves_no_image_no_snapshot_and_the_instance_running(string operation, int nthCall, FaultKind kind)
    {
        var instanceId = cloud.NewInstance();
        var before = cloud.Census(PipelineCloudFixture.HomeRegion, CopyRegion);
        await using var bake = FullBake(instanceId).With("max-attempts", "1");
        cloud.Server.Faults.Add(new FaultRule { Service = "ec2", Operation = operation, Kind = kind, EveryNth = nthCall, MaxInjections = 1 });
        try
        {
            var result = await bake.RunAsync();

            result.Outcome.Should().Be(RunOutcome.Failed, bake.Logs);
            cloud.Server.Faults.InjectedCount.Should().Be(1);
            if (kind == FaultKind.InternalError)
            {
                result.Failure.Should().BeOfType<PipelineException>().Which.Message.Should().Contain(" failed: ").And.Contain("run again with --resume");
            }

            result.CleanupFailures.Should().BeEmpty();
            cloud.Census(PipelineCloudFixture.HomeRegion, CopyRegion).NewSince(before).Should().BeEquivalentTo(new ResourceCensus([], []));
            cloud.InstanceState(instanceId).Should().Be("running");
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }
    }

    [Fact]
    public async Task A_lost_copy_image_answer_never_leaves_a_stray_copy()
    {
        var instanceId = cloud.NewInstance();
        var before = cloud.Census(PipelineCloudFixture.HomeRegion, CopyRegion);
        await using var bake = FullBake(instanceId).With("max-attempts", "1");
        cloud.Server.Faults.Add(new FaultRule { Service = "ec2", Operation = "CopyImage", Kind = FaultKind.ResetResponse, MaxInjections = 1 });
        try
        {
            var result = await bake.RunAsync();

            // The copy is made but its answer lost: either the run fails and removes it (found by its run-id tag), or the
            // SDK's retry is answered from the client token with the same copy. Never two copies, never an orphan.
            var created = cloud.Census(PipelineCloudFixture.HomeRegion, CopyRegion).NewSince(before);
            if (result.Outcome == RunOutcome.Failed)
            {
                created.Should().BeEquivalentTo(new ResourceCensus([], []));
            }
            else
            {
                (await cloud.ImagesNamedAsync(bake.ImageName, CopyRegion)).Should().ContainSingle();
                created.ImageIds.Should().HaveCount(2);
            }

            result.CleanupFailures.Should().BeEmpty();
            cloud.InstanceState(instanceId).Should().Be("running");
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }
    }

    [Fact]
    public async Task Keep_on_failure_keeps_the_image_but_still_starts_the_instance_again()
    {
        var instanceId = cloud.NewInstance();
        await using var bake = FullBake(instanceId).With("max-attempts", "1").With("keep-on-failure", "true");
        cloud.Server.Faults.Add(new FaultRule { Service = "ec2", Operation = "CreateTags", Kind = FaultKind.InternalError, MaxInjections = 1 });
        try
        {
            var result = await bake.RunAsync();

            result.Outcome.Should().Be(RunOutcome.Failed);
            (await cloud.ImagesNamedAsync(bake.ImageName)).Should().ContainSingle();
            cloud.InstanceState(instanceId).Should().Be("running");
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }
    }

    [Fact]
    public async Task Throttling_on_every_third_call_still_gives_exactly_one_image_per_region()
    {
        var instanceId = cloud.NewInstance();
        await using var bake = FullBake(instanceId);
        cloud.Server.Faults.Add(new FaultRule { Kind = FaultKind.Throttle, EveryNth = 3 });
        try
        {
            var result = await bake.RunAsync();

            result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
            cloud.Server.Faults.InjectedCount.Should().BeGreaterThan(3);
            (await cloud.ImagesNamedAsync(bake.ImageName)).Should().ContainSingle();
            (await cloud.ImagesNamedAsync(bake.ImageName, CopyRegion)).Should().ContainSingle();
            bake.Logs.Should().NotContain("RequestLimitExceeded");
            cloud.InstanceState(instanceId).Should().Be("running");
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }
    }

    /// <summary>A bake that makes every kind of call: stop, capture, tags, sharing, deprecation, a region copy, restart.</summary>
    private EbsBake FullBake(string instanceId) =>
        new EbsBake(cloud, instanceId)
            .With("tags", "team=platform")
            .With("snapshot-tags", "backup=none")
            .With("share-with-accounts", "210987654321")
            .With("deprecate-at", "2030-01-01T00:00:00Z")
            .With("copy-to-regions", CopyRegion);
}
