using ImagePipeline.LocalCloud;
using ImagePipeline.Samples.Tests.Support;
using ImagePipeline.Testing;

namespace ImagePipeline.Samples.Tests.CustomStrategy;

/// <summary>samples/CustomStrategy built from source, loaded with --plugin and run end to end against the local cloud.</summary>
public sealed class CustomStrategyPluginTests(HostProcessCloudFixture cloud, CustomStrategyBuild plugin)
    : IClassFixture<HostProcessCloudFixture>, IClassFixture<CustomStrategyBuild>, IDisposable
{
    private readonly TemporaryFolder _root = new("custom");

    [Fact]
    public async Task The_sample_captures_an_instance_that_carries_the_required_tag()
    {
        var instanceId = SeedInstance(new Dictionary<string, string> { ["imaging-approved"] = "yes" });
        var name = $"custom-strategy-{Guid.NewGuid().ToString("N")[..8]}";

        var run = await RunAsync(instanceId, name);

        run.ExitCode.Should().Be(0, run.Output + run.Error);
        var image = cloud.OwnedImages().Should().ContainSingle(image => image.Name == name).Subject;
        run.Output.Should().Contain($"succeeded in the LOCAL CLOUD, not in AWS: image {image.ImageId}", "the run waited until the image was available");
        run.OutputLines.Should().Contain(line => line.StartsWith("PrepareBucket", StringComparison.Ordinal) && line.Contains("not applicable", StringComparison.Ordinal));
        run.OutputLines.Should().Contain(line => line.StartsWith("BundleVolume", StringComparison.Ordinal) && line.Contains("succeeded", StringComparison.Ordinal) && line.Contains(image.ImageId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_sample_refuses_an_instance_without_the_required_tag_before_anything_runs()
    {
        var instanceId = SeedInstance(new Dictionary<string, string> { ["Name"] = "not approved" });
        var name = $"custom-strategy-{Guid.NewGuid().ToString("N")[..8]}";

        var run = await RunAsync(instanceId, name);

        run.ExitCode.Should().Be(2, run.Output + run.Error);
        run.Error.Should().Contain($"Instance {instanceId} has no 'imaging-approved' tag, so it may not be captured");
        cloud.OwnedImages().Should().NotContain(image => image.Name == name);
    }

    [Fact]
    public async Task The_sample_lists_its_strategy_and_parameter_in_help()
    {
        var run = await HostRun.RunAsync(_root.Path, ["--help", "--plugin", plugin.Folder]);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Contain("--required-instance-tag").And.Contain("sample plugin");
    }

    [Fact]
    public async Task Loaded_beside_the_built_ins_the_sample_adds_ebs_linux_tagged_and_the_built_in_ebs_linux_stays()
    {
        var instanceId = SeedInstance(new Dictionary<string, string> { ["imaging-approved"] = "yes" });
        var name = $"custom-strategy-{Guid.NewGuid().ToString("N")[..8]}";

        var run = await RunAsync(instanceId, name, RepositoryLayout.BuiltInPlugins);
        var help = await HostRun.RunAsync(_root.Path, ["--help", "--plugin", plugin.Folder, "--backing-store", "ebs"], builtInPlugins: RepositoryLayout.BuiltInPlugins);

        run.ExitCode.Should().Be(0, run.Output + run.Error);
        run.Output.Should().Contain("Strategy ebs/linux/tagged").And.NotContain("instead of the built-in");
        cloud.OwnedImages().Should().ContainSingle(image => image.Name == name);
        help.Output.Should().Contain("ebs/linux/tagged").And.Contain("ImagePipeline.Strategies.Ebs");
    }

    [Fact]
    public async Task Through_the_testing_harness_the_sample_captures_a_tagged_instance_and_undoes_nothing_it_did_not_create()
    {
        var instanceId = SeedInstance(new Dictionary<string, string> { ["imaging-approved"] = "yes" });
        var name = $"custom-strategy-{Guid.NewGuid().ToString("N")[..8]}";
        var entryPoints = new ImagePipeline.Core.Plugins.PluginLoader().Load(null, [plugin.Folder]).SelectMany(loaded => loaded.EntryPoints);
        await using var harness = new ImagePipeline.Testing.PipelineHarness(cloud.Endpoint, entryPoints, LocalCloudAccounts.AccessKeyId, LocalCloudAccounts.SecretAccessKey);

        var result = await harness.RunAsync("RegisterImage", new Dictionary<string, string>
        {
            ["backing-store"] = "ebs",
            ["strategy"] = "tagged",
            ["instance-id"] = instanceId,
            ["ami-name"] = name,
            ["poll-delay"] = "0.2",
        });

        result.Outcome.Should().Be(ImagePipeline.Abstractions.RunOutcome.Succeeded, harness.Logs.Text);
        result.Outputs.Should().ContainKey("image-id").WhoseValue.Should().Be(cloud.OwnedImages().Single(image => image.Name == name).ImageId);
    }

    public void Dispose() => _root.Dispose();

    private string SeedInstance(IReadOnlyDictionary<string, string> tags) =>
        cloud.Server.SeedInstance(new InstanceSeed { Region = "us-east-1", Platform = null, Tags = tags });

    /// <summary>Only the sample is loaded unless built-ins are given.</summary>
    private Task<HostRun> RunAsync(string instanceId, string name, string? builtInPlugins = null) =>
        HostRun.RunAsync(
            _root.Path,
            [
                "RegisterImage", "--plugin", plugin.Folder, "--backing-store", "ebs", "--platform", "linux", "--strategy", "tagged",
                "--cloud", "local", "--endpoint-url", cloud.Endpoint.ToString(), "--region", "us-east-1",
                "--instance-id", instanceId, "--ami-name", name, "--poll-delay", "0.2",
            ],
            builtInPlugins: builtInPlugins);
}
