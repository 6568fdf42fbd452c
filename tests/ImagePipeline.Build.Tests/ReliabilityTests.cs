using ImagePipeline.Host;
using ImagePipeline.LocalCloud;
using ImagePipeline.LocalCloud.Faults;

namespace ImagePipeline.Build.Tests;

/// <summary>
/// Faults injected by the local cloud while the real host bakes: each run either ends like a clean run, or fails with
/// exit code 1 and everything it created removed.
/// </summary>
public sealed class ReliabilityTests : IAsyncLifetime
{
    private readonly HostSandbox _sandbox = new();
    private LocalCloudServer _cloud = null!;

    public async Task InitializeAsync()
    {
        _cloud = await LocalCloudServer.StartAsync(new LocalCloudOptions
        {
            DataDirectory = Path.Combine(_sandbox.Root, "cloud"),
            ImageAvailableDelay = TimeSpan.FromMilliseconds(300),
        });
        File.WriteAllText(Path.Combine(_sandbox.Root, ".nuke", "parameters.json"), $$"""{ "endpoint-url": "{{_cloud.Endpoint}}", "poll-delay": 0.2 }""");
    }

    public async Task DisposeAsync()
    {
        await _cloud.DisposeAsync();
        _sandbox.Dispose();
    }

    [Theory]
    [InlineData("s3", "PutBucketEncryption")]
    [InlineData("s3", "PutObject")]
    [InlineData("ec2", "RegisterImage")]
    [InlineData("ec2", "DescribeImages")]
    public async Task A_failure_at_any_call_exits_1_and_leaves_nothing_the_run_created(string service, string operation)
    {
        // DescribeImages also runs in validation (the same-name check): fail it only once the run is under way.
        _cloud.Faults.Add(new FaultRule { Service = service, Operation = operation, Kind = FaultKind.InternalError, EveryNth = operation == "DescribeImages" ? 2 : 1 });

        var run = await _sandbox.RunAsync("RegisterImage", "--max-attempts", "1");

        run.ExitCode.Should().Be(ExitCode.TargetFailed, run.All);
        run.Output.Should().Contain("Cleanup");
        var state = _cloud.GetState();
        state.Buckets.Should().BeEmpty("the run created the bucket, so its cleanup removes it with everything uploaded");
        state.Regions.Values.SelectMany(region => region.Images.Values).Where(image => image.OwnerAlias is null && !image.Deregistered).Should().BeEmpty();
        Directory.EnumerateDirectories(Path.Combine(_sandbox.Root, ".nuke", "temp", "runs"), "x509-*", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Fact]
    public async Task A_run_kept_after_its_image_wait_failed_resumes_to_that_same_image()
    {
        _cloud.Faults.Add(new FaultRule { Service = "ec2", Operation = "DescribeImages", Kind = FaultKind.InternalError, EveryNth = 2 });
        var failed = await _sandbox.RunAsync("RegisterImage", "--max-attempts", "1", "--ami-name", "kept-image", "--keep-on-failure");
        failed.ExitCode.Should().Be(ExitCode.TargetFailed, failed.All);
        _cloud.Faults.Clear();

        var resumed = await _sandbox.RunAsync("RegisterImage", "--max-attempts", "1", "--ami-name", "kept-image", "--resume");

        resumed.ExitCode.Should().Be(ExitCode.Success, resumed.All);
        _cloud.GetState().Regions.Values.SelectMany(region => region.Images.Values).Where(image => image.OwnerAlias is null && !image.Deregistered)
            .Should().ContainSingle().Which.Name.Should().Be("kept-image");
    }

    [Fact]
    public async Task Throttling_on_every_third_call_still_registers_exactly_one_image()
    {
        _cloud.Faults.Add(new FaultRule { Kind = FaultKind.Throttle, EveryNth = 3 });

        var run = await _sandbox.RunAsync("RegisterImage");

        run.ExitCode.Should().Be(ExitCode.Success, run.All);
        _cloud.Faults.InjectedCount.Should().BeGreaterThan(3);
        _cloud.GetState().Regions.Values.SelectMany(region => region.Images.Values).Count(image => image.OwnerAlias is null && !image.Deregistered).Should().Be(1);
    }

    [Fact]
    public async Task Connections_reset_in_the_middle_of_uploads_and_answers_are_retried_to_a_clean_result()
    {
        _cloud.Faults.Add(new FaultRule { Service = "s3", Operation = "PutObject", Kind = FaultKind.ResetRequestBody, EveryNth = 2 });
        _cloud.Faults.Add(new FaultRule { Service = "ec2", Kind = FaultKind.ResetResponse, EveryNth = 4 });

        var run = await _sandbox.RunAsync("RegisterImage");

        run.ExitCode.Should().Be(ExitCode.Success, run.All);
        _cloud.GetState().Regions.Values.SelectMany(region => region.Images.Values).Count(image => image.OwnerAlias is null && !image.Deregistered).Should().Be(1);
    }
}
