using ImagePipeline.Abstractions;
using ImagePipeline.Core.Sessions;
using ImagePipeline.LocalCloud;
using ImagePipeline.Testing;

namespace ImagePipeline.Instances.Tests.Provisioning;

/// <summary>ProvisionInstance on Windows, through the local cloud's SSM Run Command (which runs every command successfully).</summary>
public sealed class ProvisionWithRunCommandTests(PipelineCloudFixture cloud) : IClassFixture<PipelineCloudFixture>, IAsyncDisposable
{
    private readonly string _folder = cloud.Subdirectory("windows-" + Guid.NewGuid().ToString("N")[..8]);
    private PipelineHarness? _harness;

    [Fact]
    public async Task Each_script_is_one_PowerShell_command_in_order_with_the_environment_values_set_first_and_quoted()
    {
        var instanceId = cloud.NewInstance(platform: "windows");
        var parameters = Windows(instanceId);
        parameters["provision-script"] = $"{Script("install.ps1", "Write-Output \"installing $env:APP_KEY\"")},{Script("configure.ps1", "Set-Content C:\\marker.txt done")}";
        parameters["provision-env"] = "APP_KEY=it's-a-secret-key";

        var result = await RunAsync(parameters);

        result.Outcome.Should().Be(RunOutcome.Succeeded, _harness!.Logs.Text);
        var commands = cloud.Region().Commands.Values.Where(command => command.InstanceIds.Contains(instanceId)).OrderBy(command => command.RequestedAt).ToArray();
        commands.Should().HaveCount(2);
        commands.Should().OnlyContain(command => command.DocumentName == "AWS-RunPowerShellScript");
        commands[0].Parameters["commands"].Should().Equal("$env:APP_KEY = 'it''s-a-secret-key'", "Write-Output \"installing $env:APP_KEY\"");
        commands[1].Parameters["commands"].Should().Equal("$env:APP_KEY = 'it''s-a-secret-key'", "Set-Content C:\\marker.txt done");
        commands[0].Comment.Should().Contain("install.ps1");
        _harness.Logs.Text.Should().NotContain("it's-a-secret-key");
    }

    [Fact]
    public async Task Files_are_refused_on_Windows_with_one_reason_and_nothing_is_sent()
    {
        var instanceId = cloud.NewInstance(platform: "windows");
        var parameters = Windows(instanceId);
        parameters["provision-script"] = Script("install.ps1", "Write-Output hello");
        parameters["provision-file"] = $"{Script("app.conf", "x")}=/app.conf";

        var run = () => RunAsync(parameters);

        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors
            .Should().ContainSingle(error => error.StartsWith("--provision-file works on Linux only", StringComparison.Ordinal));
        cloud.Region().Commands.Values.Should().NotContain(command => command.InstanceIds.Contains(instanceId));
    }

    public async ValueTask DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    private static Dictionary<string, string> Windows(string instanceId) => new(StringComparer.Ordinal)
    {
        ["backing-store"] = "ebs",
        ["platform"] = "windows",
        ["instance-id"] = instanceId,
        ["poll-delay"] = "0.2",
        ["max-wait"] = "30",
    };

    private string Script(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private Task<Core.Engine.RunResult> RunAsync(Dictionary<string, string> parameters)
    {
        _harness ??= new PipelineHarness(cloud.Endpoint, [new ProvisionOnlyPlugin()], LocalCloudAccounts.AccessKeyId, LocalCloudAccounts.SecretAccessKey) { TimeProvider = cloud.Time };
        return _harness.RunAsync("PrepareBucket", parameters);
    }
}
