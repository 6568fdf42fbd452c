using System.Diagnostics;
using System.Text.Json.Nodes;
using ImagePipeline.Host;

namespace ImagePipeline.Build.Tests;

/// <summary>
/// What the host checks before anything runs, and how it labels what it did: output files that cannot be written
/// (issue 12 item 6), a local-cloud result that could pass for an AWS one (item 9), machine-readable outputs masked
/// into nonsense (item 12) and problems that hid each other (item 13).
/// </summary>
public sealed class RunPrerequisiteTests : IDisposable
{
    private readonly HostSandbox _sandbox = new();

    private string File(string name) => Path.Combine(_sandbox.Root, name);

    /// <summary>An EBS run whose instance does not exist: it would fail at validation, so every case here must fail earlier, before the cloud.</summary>
    private static readonly string[] EbsRun = ["RegisterImage", "--cloud", "local", "--backing-store", "ebs", "--instance-id", "i-0123456789abcdef0", "--ami-name", "never-made"];

    public static TheoryData<string, string[], string[], string> UnwritableOutputs => new()
    {
        { "--output-json under a file", ["--output-json", "{file}/summary.json"], [], "--output-json" },
        { "--output-json that is a folder", ["--output-json", "{folder}"], [], "is a folder" },
        { "--output-json under a file two levels up", ["--output-json", "{file}/a/b/summary.json"], [], "is a file" },
        { "--output-json where files cannot be made", ["--output-json", "/proc/imagepipeline-summary.json"], [], "cannot be written" },
        { "GITHUB_OUTPUT that is a folder", [], ["GITHUB_OUTPUT={folder}"], "GITHUB_OUTPUT" },
        { "GITHUB_OUTPUT under a file", [], ["GITHUB_OUTPUT={file}/output"], "GITHUB_OUTPUT" },
        { "GITHUB_STEP_SUMMARY that is a folder", [], ["GITHUB_STEP_SUMMARY={folder}"], "GITHUB_STEP_SUMMARY" },
        { "GITHUB_STEP_SUMMARY under a file", [], ["GITHUB_STEP_SUMMARY={file}/summary.md"], "GITHUB_STEP_SUMMARY" },
    };

    [Theory]
    [MemberData(nameof(UnwritableOutputs))]
    public async Task An_output_that_cannot_be_written_is_exit_2_with_one_line_before_anything_runs(string @case, string[] args, string[] variables, string expected)
    {
        System.IO.File.WriteAllText(File("a-file"), "not a folder");
        Directory.CreateDirectory(File("a-folder"));
        _sandbox.Environment["GITHUB_ACTIONS"] = "true";
        _sandbox.Environment["GITHUB_OUTPUT"] = File("github-output");
        _sandbox.Environment["GITHUB_STEP_SUMMARY"] = File("step-summary.md");
        foreach (var variable in variables)
        {
            var (name, value) = (variable[..variable.IndexOf('=', StringComparison.Ordinal)], variable[(variable.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            _sandbox.Environment[name] = Expand(value);
        }

        var run = await _sandbox.RunAsync([.. EbsRun, .. args.Select(Expand)]);

        run.ExitCode.Should().Be(ExitCode.UsageError, $"{@case}: {run.All}");
        var errors = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        errors.Should().ContainSingle(@case).Which.Should().StartWith("error: ").And.Contain(expected);
        run.Output.Should().NotContain("Strategy ", $"{@case}: nothing runs, not even the cloud connection");
        Directory.Exists(File(".nuke/temp/runs")).Should().BeFalse($"{@case}: no run is started");
        System.IO.File.Exists(File("github-output")).Should().BeFalse($"{@case}: the check leaves no file behind");
        System.IO.File.Exists(File("step-summary.md")).Should().BeFalse($"{@case}: the check leaves no file behind");
    }

    [Fact]
    public async Task Checking_an_output_in_folders_that_do_not_exist_yet_leaves_nothing_behind()
    {
        var run = await _sandbox.RunAsync([.. EbsRun, "--ami-name", "x", "--output-json", File("new/deeper/summary.json")]);

        run.ExitCode.Should().Be(ExitCode.UsageError, run.All);
        run.Error.Should().Contain("--ami-name").And.NotContain("--output-json");
        Directory.Exists(File("new")).Should().BeFalse("the folders made to check the path are removed again");
    }

    [Fact]
    public async Task Inside_github_actions_cloud_must_be_given()
    {
        _sandbox.Environment["GITHUB_ACTIONS"] = "true";

        var run = await _sandbox.RunAsync("RegisterImage", "--backing-store", "ebs", "--instance-id", "i-0123456789abcdef0", "--ami-name", "never-made");

        run.ExitCode.Should().Be(ExitCode.UsageError, run.All);
        run.Error.Trim().Should().StartWith("error: Inside GitHub Actions --cloud must be given").And.NotContain("\n");
        run.Output.Should().Contain("::error title=ImagePipeline::Inside GitHub Actions --cloud must be given");
    }

    [Fact]
    public async Task A_local_cloud_result_says_so_in_the_header_the_summary_line_the_output_json_and_a_warning_when_real_inputs_were_given()
    {
        var run = await _sandbox.RunAsync("RegisterImage", "--poll-delay", "0.1", "--bucket", "my-real-bucket", "--output-json", "summary.json");

        run.ExitCode.Should().Be(ExitCode.Success, run.All);
        run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle()
            .Which.Should().StartWith("warning: --cloud is not given, so this run uses the LOCAL CLOUD").And.Contain("--bucket");
        run.Output.Split('\n').Should().Contain(line => line.StartsWith("Strategy ", StringComparison.Ordinal) && line.Contains("the LOCAL CLOUD at http://127.0.0.1:", StringComparison.Ordinal) && line.EndsWith(", not AWS", StringComparison.Ordinal));
        run.Output.Split('\n').Should().Contain(line => line.StartsWith("Run ", StringComparison.Ordinal) && line.Contains("succeeded in the LOCAL CLOUD, not in AWS: image ami-", StringComparison.Ordinal));
        JsonNode.Parse(System.IO.File.ReadAllText(File("summary.json")))!["cloud"]!.GetValue<string>().Should().Be("local");
    }

    [Fact]
    public async Task The_offline_demo_alone_is_labelled_but_not_warned_about()
    {
        var run = await _sandbox.RunAsync("RegisterImage", "--poll-delay", "0.1");

        run.ExitCode.Should().Be(ExitCode.Success, run.All);
        run.Error.Should().BeEmpty();
        run.Output.Should().Contain("succeeded in the LOCAL CLOUD, not in AWS");
    }

    [Fact]
    public async Task A_secret_that_equals_an_output_value_is_masked_on_the_console_but_not_in_machine_readable_outputs()
    {
        // The bucket is named like the passphrase: a careless or hostile choice that must not corrupt the outputs.
        var keys = new TestKeyMaterial(File("keys"));
        _sandbox.Environment["GITHUB_ACTIONS"] = "true";
        _sandbox.Environment["GITHUB_OUTPUT"] = File("github-output");
        _sandbox.Environment["GITHUB_STEP_SUMMARY"] = File("step-summary.md");

        var run = await _sandbox.RunAsync(
            "RegisterImage", "--cloud", "local", "--poll-delay", "0.1", "--output-json", "summary.json", "--bucket", TestKeyMaterial.Passphrase,
            "--x509-cert-path", keys.Certificate, "--x509-key-path", keys.EncryptedKey, "--x509-key-passphrase", TestKeyMaterial.Passphrase);

        run.ExitCode.Should().Be(ExitCode.Success, run.All);
        run.Output.Split('\n').Where(line => line.Contains(TestKeyMaterial.Passphrase, StringComparison.Ordinal))
            .Should().Equal($"::add-mask::{TestKeyMaterial.Passphrase}");
        run.Error.Should().NotContain(TestKeyMaterial.Passphrase);
        JsonNode.Parse(System.IO.File.ReadAllText(File("summary.json")))!["outputs"]!["bucket"]!.GetValue<string>().Should().Be(TestKeyMaterial.Passphrase);
        System.IO.File.ReadAllText(File("github-output")).Should().Contain($"bucket<<").And.Contain($"\n{TestKeyMaterial.Passphrase}\n").And.NotContain("***");
        var summary = System.IO.File.ReadAllText(File("step-summary.md"));
        summary.Should().StartWith("### ImagePipeline: instance-store/linux, succeeded in the LOCAL CLOUD, not in AWS");
        summary.Should().NotContain(TestKeyMaterial.Passphrase, "the job summary is for people, so it is masked");
    }

    public static TheoryData<string> TooShortSecrets => new() { "east", "1", "ami", "us", "Run", "seven77" };

    [Theory]
    [MemberData(nameof(TooShortSecrets))]
    public async Task A_secret_too_short_to_mask_is_refused_with_one_line_that_does_not_repeat_it(string passphrase)
    {
        var run = await _sandbox.RunAsync([.. EbsRun, "--x509-key-passphrase", passphrase, "--output-json", "summary.json"]);

        run.ExitCode.Should().Be(ExitCode.UsageError, run.All);
        run.Error.Trim().Should().StartWith("error: --x509-key-passphrase is shorter than 8 characters").And.NotContain("\n");
        run.Error.Should().NotContain($"'{passphrase}'").And.NotContain("***", "the error says why without masking anything");
        System.IO.File.Exists(File("summary.json")).Should().BeFalse();
    }

    [Fact]
    public async Task Missing_credentials_a_missing_region_and_a_bad_parameter_are_reported_together_once_each()
    {
        var run = await RunHostProcessAsync("RegisterImage", "--cloud", "aws", "--backing-store", "ebs", "--instance-id", "i-0123456789abcdef0", "--ami-name", "x");

        run.ExitCode.Should().Be(ExitCode.UsageError, run.All);
        var errors = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        errors.Should().OnlyContain(line => line.StartsWith("error: ", StringComparison.Ordinal));
        errors.Should().ContainSingle(line => line.Contains("No AWS credentials were found", StringComparison.Ordinal));
        errors.Should().ContainSingle(line => line.Contains("No AWS region is set", StringComparison.Ordinal));
        errors.Should().ContainSingle(line => line.Contains("--ami-name", StringComparison.Ordinal));
        errors.Should().HaveCount(3);
    }

    public void Dispose() => _sandbox.Dispose();

    private string Expand(string value) => value
        .Replace("{file}", File("a-file"), StringComparison.Ordinal)
        .Replace("{folder}", File("a-folder"), StringComparison.Ordinal);

    /// <summary>In a separate process with no AWS configuration at all: the SDK reads the process environment and ~/.aws.</summary>
    private async Task<HostRun> RunHostProcessAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(Path.GetDirectoryName(HostSandbox.PluginsFolder)!, "_build.dll"), .. args])
        {
            WorkingDirectory = _sandbox.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in start.Environment.Keys.Where(name => name.StartsWith("AWS_", StringComparison.Ordinal) || name.StartsWith("IMAGEPIPELINE_", StringComparison.Ordinal)).ToArray())
        {
            start.Environment.Remove(name);
        }

        start.WorkingDirectory = _sandbox.Root;
        start.Environment["HOME"] = _sandbox.Root;
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_CONFIG_FILE"] = File("no-aws-config");
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = File("no-aws-credentials");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new HostRun(process.ExitCode, await output, await error);
    }
}
