using ImagePipeline.Abstractions;
using ImagePipeline.Core.Sessions;
using ImagePipeline.LocalCloud.Faults;
using ImagePipeline.Testing;

namespace ImagePipeline.Instances.Tests.Provisioning;

/// <summary>ProvisionInstance on Windows, through the local cloud's SSM Run Command (every command succeeds unless a CommandFailure fault says otherwise).</summary>
public sealed class ProvisionWithRunCommandTests(PipelineCloudFixture cloud) : IClassFixture<PipelineCloudFixture>, IAsyncLifetime
{
    private readonly ProvisionRun _run = new(cloud, cloud.Subdirectory("windows-" + Guid.NewGuid().ToString("N")[..8]));

    [Fact]
    public async Task Each_script_is_one_PowerShell_command_in_order_with_the_environment_values_set_first_and_quoted()
    {
        var instanceId = cloud.NewInstance(platform: "windows");
        var parameters = Windows(instanceId);
        parameters["provision-script"] = $"{_run.Script("install.ps1", "Write-Output \"installing $env:APP_KEY\"")},{_run.Script("configure.ps1", "Set-Content C:\\marker.txt done")}";
        parameters["provision-secret"] = "APP_KEY=it's-a-secret-key";

        var result = await _run.RunAsync(parameters);

        result.Outcome.Should().Be(RunOutcome.Succeeded, _run.Logs);
        var commands = cloud.Region().Commands.Values.Where(command => command.InstanceIds.Contains(instanceId)).OrderBy(command => command.RequestedAt).ToArray();
        commands.Should().HaveCount(2);
        commands.Should().OnlyContain(command => command.DocumentName == "AWS-RunPowerShellScript");
        commands[0].Parameters["commands"].Should().Equal("$env:APP_KEY = 'it''s-a-secret-key'", "Write-Output \"installing $env:APP_KEY\"");
        commands[1].Parameters["commands"].Should().Equal("$env:APP_KEY = 'it''s-a-secret-key'", "Set-Content C:\\marker.txt done");
        commands[0].Comment.Should().Contain("install.ps1");
        _run.Logs.Should().NotContain("it's-a-secret-key");
    }

    [Fact]
    public async Task A_script_that_fails_stops_the_run_naming_it_and_its_exit_code_with_its_error_output_masked_in_the_log()
    {
        var instanceId = cloud.NewInstance(platform: "windows");
        var parameters = Windows(instanceId);
        var failing = $"install-{Guid.NewGuid():N}.ps1";
        parameters["provision-script"] = $"{_run.Script(failing, "choco install web")},{_run.Script("never.ps1", "Write-Output never")}";
        parameters["provision-secret"] = "APP_KEY=it's-a-secret-key";
        cloud.Server.Faults.Add(new FaultRule { Kind = FaultKind.CommandFailure, CommandContains = "choco install web", ResponseCode = 3, StandardError = "package not found for it's-a-secret-key", MaxInjections = 1 });

        var result = await _run.RunAsync(parameters);

        result.Outcome.Should().Be(RunOutcome.Failed, _run.Logs);
        result.Failure!.Message.Should().Contain($"Provisioning script {failing} failed with exit status 3; its output is in the log above.");
        _run.Logs.Should().Contain("package not found for ***").And.NotContain("it's-a-secret-key");
        cloud.Region().Commands.Values.Where(command => command.InstanceIds.Contains(instanceId)).Should().ContainSingle("the scripts after the failing one do not run");
    }

    [Fact]
    public async Task Files_are_refused_on_Windows_with_one_reason_and_nothing_is_sent()
    {
        var instanceId = cloud.NewInstance(platform: "windows");
        var parameters = Windows(instanceId);
        parameters["provision-script"] = _run.Script("install.ps1", "Write-Output hello");
        parameters["provision-file"] = $"{_run.Script("app.conf", "x")}=/app.conf";

        var run = () => _run.RunAsync(parameters);

        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors
            .Should().ContainSingle(error => error.StartsWith("--provision-file works on Linux only", StringComparison.Ordinal));
        cloud.Region().Commands.Values.Should().NotContain(command => command.InstanceIds.Contains(instanceId));
    }

    public Task InitializeAsync() => _run.InitializeAsync();

    public Task DisposeAsync() => _run.DisposeAsync();

    private static Dictionary<string, string> Windows(string instanceId) => new(StringComparer.Ordinal)
    {
        ["backing-store"] = "ebs",
        ["platform"] = "windows",
        ["instance-id"] = instanceId,
        ["poll-delay"] = "0.2",
        ["max-wait"] = "30",
    };
}
