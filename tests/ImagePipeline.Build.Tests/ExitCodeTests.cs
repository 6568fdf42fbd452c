using ImagePipeline.Host;

namespace ImagePipeline.Build.Tests;

/// <summary>
/// Whatever throws, in whichever phase, the host ends with exit code 1, 2 or 130 and a single line naming the cause:
/// never "Unhandled exception", never a stack trace without --verbose.
/// </summary>
public sealed class ExitCodeTests : IDisposable
{
    private readonly HostSandbox _sandbox = new();

    public static TheoryData<string, string> PluginPhases => new()
    {
        { "resolve", "the throwing plugin's parameter check failed" },
        { "plan", "the throwing plugin's plan failed" },
        { "validate", "the throwing plugin's validation failed" },
        { "run", "the throwing plugin's step failed" },
        { "cleanup", "the throwing plugin's cleanup failed" },
    };

    public static TheoryData<string, string[]> UnreachableClouds => new()
    {
        { "connection refused, EBS validation", ["RegisterImage", "--backing-store", "ebs", "--instance-id", "i-0123456789abcdef0", "--ami-name", "unreachable", "--endpoint-url", "http://127.0.0.1:1"] },
        { "connection refused, bucket check", ["PrepareBucket", "--bucket", "unreachable-bucket", "--endpoint-url", "http://127.0.0.1:1"] },
        { "DNS failure", ["RegisterImage", "--backing-store", "ebs", "--instance-id", "i-0123456789abcdef0", "--ami-name", "unreachable", "--endpoint-url", "http://imagepipeline-test.invalid"] },
    };

    [Theory]
    [MemberData(nameof(PluginPhases))]
    public async Task A_plugin_that_throws_in_any_phase_ends_in_exit_1_with_one_line(string phase, string message)
    {
        var run = await _sandbox.RunAsync(
            "RegisterImage", "--cloud", "local", "--platform", "windows", "--plugin", ThrowingPluginPath, "--throw-in", phase);

        run.ExitCode.Should().Be(ExitCode.TargetFailed, $"{phase}: {run.All}");
        ShouldBeOneCleanLine(run, message);
    }

    [Fact]
    public async Task A_plugin_that_throws_shows_its_stack_trace_only_with_verbose()
    {
        var run = await _sandbox.RunAsync(
            "RegisterImage", "--cloud", "local", "--platform", "windows", "--plugin", ThrowingPluginPath, "--throw-in", "validate", "--verbose");

        run.ExitCode.Should().Be(ExitCode.TargetFailed, run.All);
        run.Error.Should().Contain("   at ThrowingPlugin.ThrowingStep.ValidateAsync");
    }

    [Theory]
    [MemberData(nameof(UnreachableClouds))]
    public async Task An_unreachable_cloud_ends_in_exit_1_with_one_line(string @case, string[] args)
    {
        var run = await _sandbox.RunAsync([.. args, "--cloud", "local", "--max-attempts", "1"]);

        run.ExitCode.Should().Be(ExitCode.TargetFailed, $"{@case}: {run.All}");
        ShouldBeOneCleanLine(run, "could not be reached");
    }

    public void Dispose() => _sandbox.Dispose();

    private static string ThrowingPluginPath
    {
        get
        {
            var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine(testOutput.Parent!.Parent!.FullName, "ThrowingPlugin", testOutput.Name, "ThrowingPlugin.dll");
        }
    }

    private static void ShouldBeOneCleanLine(HostRun run, string expected)
    {
        run.All.Should().NotContain("Unhandled exception").And.NotContain("   at ", "no stack trace without --verbose");
        var errorLines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        errorLines.Should().ContainSingle(line => line.Contains(expected, StringComparison.Ordinal), run.All);
        errorLines.Should().HaveCount(1, "one problem, one line: " + run.All);
    }
}
