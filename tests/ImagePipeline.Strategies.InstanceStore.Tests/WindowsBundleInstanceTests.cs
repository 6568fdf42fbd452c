using ImagePipeline.Abstractions;
using ImagePipeline.Core.Engine;
using ImagePipeline.Core.Sessions;
using ImagePipeline.LocalCloud;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

[Collection(LocalCloudCollection.Name)]
public sealed class WindowsBundleInstanceTests(InstanceStoreCloudFixture cloud)
{
    [Fact]
    public async Task A_Windows_bake_has_EC2_bundle_the_instance_and_registers_the_stored_bundle()
    {
        await using var bake = new Bake(cloud);
        var parameters = bake.WindowsParameters(NewWindowsInstance());
        parameters["bundle-prefix"] = "windows-bundle";

        var result = await bake.RunAsync(parameters);

        result.Failure.Should().BeNull();
        result.Outcome.Should().Be(RunOutcome.Succeeded);
        var image = bake.LiveImagesNamed().Should().ContainSingle().Subject;
        image.ImageLocation.Should().Be($"{bake.Bucket}/windows-bundle.manifest.xml");
        result.Targets.Where(target => target.Status == TargetStatus.NotApplicable).Select(target => target.Target)
            .Should().BeEquivalentTo([PipelineTarget.LaunchInstance, PipelineTarget.ProvisionInstance, PipelineTarget.CopyCertificates, PipelineTarget.UploadBundle]);
        bake.Harness.Progress.Activities.Should().Contain(activity => activity.StartsWith("EC2 bundling", StringComparison.Ordinal));
        cloud.State.Regions["us-east-1"].BundleTasks.Values.Should().ContainSingle(task => task.Bucket == bake.Bucket)
            .Which.Prefix.Should().Be("windows-bundle");
    }

    [Fact]
    public async Task A_Windows_run_that_fails_after_bundling_deletes_the_stored_bundle_and_the_bucket()
    {
        await using var bake = new Bake(cloud, new FailAfterTargetPlugin(PipelineTarget.BundleVolume));

        var result = await bake.RunAsync(bake.WindowsParameters(NewWindowsInstance()));

        result.Outcome.Should().Be(RunOutcome.Failed);
        result.CleanupFailures.Should().BeEmpty();
        bake.BucketExists.Should().BeFalse();
        bake.LiveImagesNamed().Should().BeEmpty();
    }

    [Theory]
    [InlineData(LocalCloudSeedIds.WindowsEbsInstanceId, "is EBS-backed")]
    [InlineData(LocalCloudSeedIds.LinuxInstanceStoreInstanceId, "is not a Windows instance")]
    [InlineData("i-0123456789abcdef0", "was not found")]
    public async Task An_instance_that_BundleInstance_cannot_bundle_is_refused_in_validation(string instanceId, string expected)
    {
        await using var bake = new Bake(cloud);

        var run = () => bake.RunAsync(bake.WindowsParameters(instanceId));

        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors
            .Should().ContainSingle(message => message.Contains(expected, StringComparison.Ordinal));
        bake.BucketExists.Should().BeFalse();
    }

    [Fact]
    public async Task AWS_refusing_BundleInstance_ends_in_a_clear_error_recommending_an_EBS_backed_image()
    {
        await using var server = await LocalCloudServer.StartAsync(new LocalCloudOptions
        {
            DataDirectory = cloud.Subdirectory("no-bundle-instance"),
            BundleInstanceSupported = false,
            ImageAvailableDelay = TimeSpan.FromMilliseconds(300),
            TimeProvider = cloud.Time,
        });
        await using var bake = new Bake(cloud, server: server);

        var result = await bake.RunAsync(bake.WindowsParameters(LocalCloudSeedIds.WindowsInstanceStoreInstanceId));

        result.Outcome.Should().Be(RunOutcome.Failed);
        var error = result.Failure.Should().BeOfType<PipelineException>().Subject;
        error.Kind.Should().Be(PipelineErrorKind.Input);
        error.Message.Should().Contain("--backing-store ebs").And.Contain("UnsupportedOperation").And.NotContain(Environment.NewLine);
        server.GetState().Buckets.Should().NotContainKey(bake.Bucket, "the bucket this run created is removed");
    }

    [Fact]
    public async Task A_Windows_run_cancelled_while_EC2_bundles_cancels_the_bundle_task_and_removes_the_bucket()
    {
        // A cloud of its own whose bundle tasks take seconds of real time, so that the cancellation lands while EC2 is
        // still bundling however slow the machine running the tests is.
        var cloud = new InstanceStoreCloudFixture { UsesRealTime = true, BundleTaskStepDelay = TimeSpan.FromSeconds(5) };
        await cloud.InitializeAsync();
        try
        {
            await CancelWhileBundlingAsync(cloud);
        }
        finally
        {
            await cloud.DisposeAsync();
        }
    }

    private static async Task CancelWhileBundlingAsync(InstanceStoreCloudFixture cloud)
    {
        await using var bake = new Bake(cloud);
        var parameters = bake.WindowsParameters(cloud.Server.SeedInstance(new InstanceSeed { Region = "us-east-1", Platform = "windows", RootDeviceType = "instance-store" }));
        parameters["poll-delay"] = "0.05";
        using var cancellation = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            // Cancel as soon as the bundle task is being followed, as Ctrl+C would.
            while (!bake.Harness.Progress.Activities.Any(activity => activity.StartsWith("EC2 bundling", StringComparison.Ordinal)))
            {
                await Task.Delay(10);
            }

            await cancellation.CancelAsync();
        });

        var result = await bake.Harness.RunAsync("RegisterImage", parameters, cancellationToken: cancellation.Token);
        await watcher;

        result.Outcome.Should().Be(RunOutcome.Cancelled);
        result.CleanupFailures.Should().BeEmpty();
        var task = cloud.State.Regions["us-east-1"].BundleTasks.Values.Should().ContainSingle(task => task.Bucket == bake.Bucket).Subject;
        task.ErrorCode.Should().Be("Client.Cancelled");
        bake.BucketExists.Should().BeFalse();
        bake.LiveImagesNamed().Should().BeEmpty();
    }

    /// <summary>A running instance-store Windows instance of the test's own: a bundle task stops and restarts its instance.</summary>
    private string NewWindowsInstance() =>
        cloud.Server.SeedInstance(new InstanceSeed { Region = "us-east-1", Platform = "windows", RootDeviceType = "instance-store" });
}
