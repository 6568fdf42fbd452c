using System.Security.Cryptography;
using ImagePipeline.Abstractions;
using ImagePipeline.Core.Sessions;
using ImagePipeline.Testing;

namespace ImagePipeline.Instances.Tests.Provisioning;

/// <summary>ProvisionInstance on Linux against a real sshd on 127.0.0.1: this machine is the "instance".</summary>
public sealed class ProvisionOverSshTests(PipelineCloudFixture cloud, SshServerFixture sshd) : IClassFixture<PipelineCloudFixture>, IClassFixture<SshServerFixture>, IAsyncLifetime
{
    private readonly ProvisionRun _run = new(cloud, sshd.Subdirectory("test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))));
    private readonly string _canary = "canary-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Scripts_run_in_order_as_root_with_the_environment_values_and_their_output_reaches_the_log_with_secrets_masked()
    {
        var marker = Path.Combine(_run.Folder, "marker");
        var first = Script("first.sh", $"#!/bin/sh\necho \"first as $(id -u)\" >> '{marker}'\necho \"token is $API_TOKEN\"\nprintf '%s' \"$API_TOKEN\" > '{marker}.token'\necho \"greeting $GREETING\" >&2\n");
        var second = Script("second.sh", $"#!/bin/sh\necho second >> '{marker}'\n");
        var parameters = Linux();
        parameters["provision-script"] = $"{first},{second}";
        parameters["provision-secret"] = $"API_TOKEN={_canary},GREETING=hello-there";

        var result = await RunAsync(parameters);

        result.Outcome.Should().Be(RunOutcome.Succeeded, Logs);
        File.ReadAllLines(marker).Should().Equal("first as 0", "second");
        File.ReadAllText(marker + ".token").Should().Be(_canary, "the value reaches the script's environment");
        Logs.Should().Contain("first.sh: token is ***").And.Contain("first.sh: greeting ***");
        Logs.Should().NotContain(_canary);
        File.ReadAllText(sshd.CommandLog).Should().NotContain(_canary, "values never travel on a command line").And.NotContain("hello-there");
        Directory.EnumerateFiles(_run.Harness.RunsDirectory, "*", SearchOption.AllDirectories).Select(File.ReadAllText)
            .Should().NotContain(text => text.Contains(_canary, StringComparison.Ordinal), "secret values are not saved with the run");
        Directory.Exists(StagingFolder(result.RunId)).Should().BeFalse("the staging folder is removed after success");
    }

    [Fact]
    public async Task Files_and_folders_land_at_their_destinations_with_parents_created_and_their_modes_kept()
    {
        var file = Path.Combine(_run.Folder, "app.conf");
        File.WriteAllText(file, "setting = 1\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var tree = Directory.CreateDirectory(Path.Combine(_run.Folder, "tree", "nested", "deeper")).Parent!.Parent!.FullName;
        File.WriteAllText(Path.Combine(tree, "top.txt"), "top");
        File.WriteAllText(Path.Combine(tree, "nested", "deeper", "tool.sh"), "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(tree, "nested", "deeper", "tool.sh"), (UnixFileMode)0b_111_101_101);
        var destination = Path.Combine(_run.Folder, "instance");
        var parameters = Linux();
        parameters["provision-file"] = $"{file}={destination}/etc/app/app.conf,{tree}={destination}/opt/tree";

        var result = await RunAsync(parameters);

        result.Outcome.Should().Be(RunOutcome.Succeeded, Logs);
        File.ReadAllText(Path.Combine(destination, "etc", "app", "app.conf")).Should().Be("setting = 1\n");
        File.GetUnixFileMode(Path.Combine(destination, "etc", "app", "app.conf")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        File.ReadAllText(Path.Combine(destination, "opt", "tree", "top.txt")).Should().Be("top");
        File.GetUnixFileMode(Path.Combine(destination, "opt", "tree", "nested", "deeper", "tool.sh")).Should().Be((UnixFileMode)0b_111_101_101);
        Directory.Exists(StagingFolder(result.RunId)).Should().BeFalse();
    }

    [Fact]
    public async Task A_failing_script_stops_the_run_naming_the_script_and_its_exit_status_and_leaves_no_staging_folder()
    {
        var marker = Path.Combine(_run.Folder, "after-failure");
        var failing = Script("install-app.sh", $"#!/bin/sh\necho \"about to fail with $API_TOKEN\"\nexit 3\n");
        var after = Script("after.sh", $"#!/bin/sh\ntouch '{marker}'\n");
        var parameters = Linux();
        parameters["provision-script"] = $"{failing},{after}";
        parameters["provision-secret"] = $"API_TOKEN={_canary}";

        var result = await RunAsync(parameters);

        result.Outcome.Should().Be(RunOutcome.Failed);
        result.Failure!.Message.Should().Contain("Provisioning script install-app.sh failed with exit status 3; its output is in the log above.");
        Logs.Should().Contain("install-app.sh: about to fail with ***").And.NotContain(_canary);
        File.Exists(marker).Should().BeFalse("the run stops at the failing script");
        Directory.Exists(StagingFolder(result.RunId)).Should().BeFalse("the cleanup removes the staging folder and the values file in it");
        result.CleanupFailures.Should().BeEmpty();
    }

    [Fact]
    public async Task Ctrl_C_while_a_script_runs_stops_the_run_and_removes_the_staging_folder()
    {
        var started = Path.Combine(_run.Folder, "started");
        var seconds = RandomNumberGenerator.GetInt32(100_000, 999_999);
        var parameters = Linux();
        parameters["provision-script"] = Script("slow.sh", $"#!/bin/sh\ntouch '{started}'\nsleep {seconds}\n");
        parameters["provision-secret"] = $"API_TOKEN={_canary}";
        using var cancellation = new CancellationTokenSource();

        var run = _run.RunAsync(parameters, cancellationToken: cancellation.Token);
        while (!File.Exists(started) && !run.IsCompleted)
        {
            await Task.Delay(20);
        }

        await cancellation.CancelAsync();
        var result = await run;

        result.Outcome.Should().Be(RunOutcome.Cancelled, result.Failure?.ToString());
        result.CleanupFailures.Should().BeEmpty();
        Directory.Exists(StagingFolder(result.RunId)).Should().BeFalse("the values file goes with the folder whatever the outcome");
        (await StillRunningAsync($"sleep {seconds}")).Should().BeFalse("the script and what it started are stopped, not left running on the instance");
    }

    [Fact]
    public async Task A_resumed_run_skips_the_scripts_that_finished_and_needs_the_same_environment_names_again()
    {
        var counter = Path.Combine(_run.Folder, "runs-of-first");
        var gate = Path.Combine(_run.Folder, "gate");
        var first = Script("first.sh", $"#!/bin/sh\necho once >> '{counter}'\n");
        var second = Script("second.sh", $"#!/bin/sh\n[ -e '{gate}' ]\n");
        var parameters = Linux();
        parameters["provision-script"] = $"{first},{second}";
        parameters["provision-secret"] = $"API_TOKEN={_canary}";
        var failed = await RunAsync(parameters);
        failed.Outcome.Should().Be(RunOutcome.Failed);
        File.WriteAllText(gate, string.Empty);

        var withoutValues = new Dictionary<string, string>(parameters);
        withoutValues.Remove("provision-secret");
        var refused = () => _run.RunAsync(withoutValues, resume: failed.RunId);
        (await refused.Should().ThrowAsync<ValidationFailedException>()).Which.Errors
            .Should().ContainSingle(error => error.Contains("--provision-secret: the run was started with API_TOKEN, now no values", StringComparison.Ordinal));

        var resumed = await _run.RunAsync(parameters, resume: failed.RunId);

        resumed.Outcome.Should().Be(RunOutcome.Succeeded, Logs);
        File.ReadAllLines(counter).Should().Equal(["once"], "a script that finished is not run again");
        Logs.Should().Contain("Skipping provisioning script first.sh");
    }

    [Fact]
    public async Task A_missing_script_or_file_is_a_validation_error_naming_it_and_nothing_runs()
    {
        var parameters = Linux();
        parameters["provision-script"] = Path.Combine(_run.Folder, "missing.sh");
        parameters["provision-file"] = $"{Path.Combine(_run.Folder, "missing.conf")}=/etc/missing.conf";
        var before = CommandLogLength();

        var run = () => RunAsync(parameters);

        var errors = (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors;
        errors.Should().Contain(error => error.Contains($"--provision-script '{Path.Combine(_run.Folder, "missing.sh")}' does not exist", StringComparison.Ordinal));
        errors.Should().Contain(error => error.Contains($"--provision-file source '{Path.Combine(_run.Folder, "missing.conf")}' does not exist", StringComparison.Ordinal));
        CommandsSince(before).Should().NotContain("imagepipeline-provision", "validation only reads; nothing is made on the instance");
    }

    [Fact]
    public async Task An_existing_instance_needs_instance_host_and_the_error_names_it()
    {
        var parameters = Linux();
        parameters.Remove("instance-host");

        var run = () => RunAsync(parameters);

        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors
            .Should().Contain(error => error.Contains("--instance-host", StringComparison.Ordinal) && error.Contains("--source-ami", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_secret_value_too_short_to_mask_is_refused_by_name_without_showing_it()
    {
        var parameters = Linux();
        parameters["provision-secret"] = "PIN=1234,API_TOKEN=" + _canary;

        var run = () => RunAsync(parameters);

        var message = (await run.Should().ThrowAsync<PipelineException>()).Which.Message;
        message.Should().Contain("--provision-secret has a value shorter than 8 characters (PIN)").And.NotContain("1234").And.NotContain(_canary);
    }

    [Fact]
    public async Task Plain_environment_values_of_any_length_reach_the_scripts_beside_the_secret_ones()
    {
        var marker = Path.Combine(_run.Folder, "environment");
        var script = Script("show.sh", $"#!/bin/sh\necho \"verbose is $VERBOSE\"\nprintf '%s %s' \"$VERBOSE\" \"$API_TOKEN\" > '{marker}'\n");
        var parameters = Linux();
        parameters["provision-script"] = script;
        parameters["provision-env"] = "VERBOSE=1";
        parameters["provision-secret"] = $"API_TOKEN={_canary}";

        var result = await RunAsync(parameters);

        result.Outcome.Should().Be(RunOutcome.Succeeded, Logs);
        File.ReadAllText(marker).Should().Be($"1 {_canary}");
        Logs.Should().Contain("show.sh: verbose is 1", "a plain value is not masked").And.NotContain(_canary);
    }

    [Fact]
    public async Task A_name_given_both_as_plain_and_as_secret_value_is_refused()
    {
        var parameters = Linux();
        parameters["provision-script"] = Script("noop.sh", "#!/bin/sh\n");
        parameters["provision-env"] = "API_TOKEN=plain";
        parameters["provision-secret"] = $"API_TOKEN={_canary}";

        var run = () => RunAsync(parameters);

        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors
            .Should().Contain("API_TOKEN is given both by --provision-env and by --provision-secret; give it once.");
    }

    public Task InitializeAsync() => _run.InitializeAsync();

    public Task DisposeAsync() => _run.DisposeAsync();

    private string Logs => _run.Logs;

    /// <summary>Whether a process with this command line still runs a moment after a SIGTERM (a few seconds at most).</summary>
    private static async Task<bool> StillRunningAsync(string commandLine)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var running = Directory.EnumerateDirectories("/proc").Select(folder => Path.Combine(folder, "cmdline"))
                .Any(path => { try { return File.ReadAllText(path).Replace('\0', ' ').Trim() == commandLine; } catch (IOException) { return false; } catch (UnauthorizedAccessException) { return false; } });
            if (!running)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    private long CommandLogLength() => File.Exists(sshd.CommandLog) ? new FileInfo(sshd.CommandLog).Length : 0;

    private string CommandsSince(long length) => File.Exists(sshd.CommandLog) ? File.ReadAllText(sshd.CommandLog)[(int)length..] : string.Empty;

    private static string StagingFolder(string runId) => "/tmp/imagepipeline-provision-" + runId;

    private Dictionary<string, string> Linux() => new(StringComparer.Ordinal)
    {
        ["backing-store"] = "ebs",
        ["platform"] = "linux",
        ["instance-host"] = "127.0.0.1",
        ["ssh-port"] = sshd.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ssh-user"] = sshd.User,
        ["ssh-key"] = sshd.ClientKeyPath,
        ["ssh-host-key-fingerprint"] = sshd.HostKeyFingerprint,
        ["provision-script"] = Script("noop.sh", "#!/bin/sh\ntrue\n"),
    };

    private string Script(string name, string text) => _run.Script(name, text);

    private Task<Core.Engine.RunResult> RunAsync(Dictionary<string, string> parameters) => _run.RunAsync(parameters);
}
