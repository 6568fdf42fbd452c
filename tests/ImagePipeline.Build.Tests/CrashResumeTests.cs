using System.Diagnostics;
using System.Security.Cryptography;
using ImagePipeline.Host;
using ImagePipeline.LocalCloud;
using ImagePipeline.LocalCloud.Faults;

namespace ImagePipeline.Build.Tests;

/// <summary>A host process killed with SIGKILL in the middle of an upload, then resumed.</summary>
public sealed class CrashResumeTests : IAsyncLifetime
{
    private const string Bucket = "crash-bundles";
    private readonly HostSandbox _sandbox = new();
    private LocalCloudServer _cloud = null!;

    public async Task InitializeAsync()
    {
        _cloud = await LocalCloudServer.StartAsync(new LocalCloudOptions { DataDirectory = Path.Combine(_sandbox.Root, "cloud"), ImageAvailableDelay = TimeSpan.FromMilliseconds(200) });
        var keys = new TestKeyMaterial(Path.Combine(_sandbox.Root, "keys"));
        var image = Path.Combine(_sandbox.Root, "big.img");
        await File.WriteAllBytesAsync(image, RandomNumberGenerator.GetBytes(45 * 1024 * 1024));
        File.WriteAllText(Path.Combine(_sandbox.Root, ".nuke", "parameters.json"), $$"""
            {
              "endpoint-url": "{{_cloud.Endpoint}}", "poll-delay": 0.2, "bucket": "{{Bucket}}", "ami-name": "crash-test-image",
              "image-file": "{{image}}", "x509-cert-path": "{{keys.Certificate}}", "x509-key-path": "{{keys.Key}}",
              "ec2-cert-path": "{{keys.Ec2Certificate}}", "account-id": "{{LocalCloudAccounts.AccountId}}", "upload-concurrency": 1
            }
            """);
    }

    public async Task DisposeAsync()
    {
        await _cloud.DisposeAsync();
        _sandbox.Dispose();
    }

    [Fact]
    public async Task After_a_kill_during_upload_resume_sends_only_the_missing_parts_and_registers_one_image()
    {
        // Slow uploads down so the kill lands between parts.
        _cloud.Faults.Add(new FaultRule { Service = "s3", Operation = "PutObject", Kind = FaultKind.Latency, Latency = TimeSpan.FromMilliseconds(600) });
        using (var host = StartHostProcess("RegisterImage"))
        {
            await WaitUntilAsync(() => ObjectCount() >= 2 || host.HasExited, TimeSpan.FromMinutes(2));
            host.HasExited.Should().BeFalse("the kill must land in the middle of the upload");
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
        }

        var uploadedBeforeKill = ObjectCount();
        _cloud.Faults.Clear();
        _cloud.Faults.Add(new FaultRule { Service = "s3", Operation = "PutObject", Kind = FaultKind.Latency, Latency = TimeSpan.Zero });

        var resumed = await _sandbox.RunAsync("RegisterImage", "--resume");

        resumed.ExitCode.Should().Be(ExitCode.Success, resumed.All);
        var bucket = _cloud.GetState().Buckets[Bucket];
        var parts = bucket.Objects.Keys.Count(key => key.Contains(".part.", StringComparison.Ordinal));
        var manifests = bucket.Objects.Keys.Count(key => key.EndsWith(".manifest.xml", StringComparison.Ordinal));
        parts.Should().BeGreaterThanOrEqualTo(5);
        manifests.Should().Be(1, "no orphaned object: one bundle, one manifest");
        _cloud.Faults.InjectedCount.Should().Be(parts + manifests - uploadedBeforeKill, "only the missing parts and the manifest are sent again");
        _cloud.GetState().Regions.Values.SelectMany(region => region.Images.Values).Count(image => image.OwnerAlias is null && !image.Deregistered).Should().Be(1);
    }

    [Fact]
    public async Task Resuming_a_run_while_its_process_still_runs_is_refused_with_exit_2_and_deletes_nothing()
    {
        _cloud.Faults.Add(new FaultRule { Service = "s3", Operation = "PutObject", Kind = FaultKind.Latency, Latency = TimeSpan.FromMilliseconds(600) });
        using var host = StartHostProcess("RegisterImage");
        try
        {
            await WaitUntilAsync(() => ObjectCount() >= 1 || host.HasExited, TimeSpan.FromMinutes(2));
            host.HasExited.Should().BeFalse("the resume must come while the run is uploading");
            var runId = Path.GetFileNameWithoutExtension(Directory.EnumerateFiles(Path.Combine(_sandbox.Root, ".nuke", "temp", "runs"), "*.json").Single());

            var resumed = await _sandbox.RunAsync("RegisterImage", "--resume", runId);

            resumed.ExitCode.Should().Be(ExitCode.UsageError, resumed.All);
            resumed.Error.Trim().Should().NotContain("\n").And.EndWith($"--resume: run {runId} is still running (process {host.Id}); wait for it to end, or stop it, then resume it. Nothing was changed.");
            ObjectCount().Should().BeGreaterThanOrEqualTo(1, "the live run's uploads are untouched");
            Directory.EnumerateDirectories(Path.Combine(_sandbox.Root, ".nuke", "temp", "runs"), "x509-*", SearchOption.AllDirectories).Should().NotBeEmpty("the live run's staged key is its own business");
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Ctrl_c_in_the_middle_of_an_upload_runs_the_cleanups_and_exits_130()
    {
        _cloud.Faults.Add(new FaultRule { Service = "s3", Operation = "PutObject", Kind = FaultKind.Latency, Latency = TimeSpan.FromMilliseconds(600) });
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var host = StartHostProcess(output, "RegisterImage");
        await WaitUntilAsync(() => ObjectCount() >= 1 || host.HasExited, TimeSpan.FromMinutes(2));
        host.HasExited.Should().BeFalse();

        using (var interrupt = Process.Start("kill", ["-INT", host.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await host.WaitForExitAsync(timeout.Token);
        host.ExitCode.Should().Be(ExitCode.Cancelled, string.Join('\n', output));
        output.Should().Contain(line => line.Contains("Cleanup", StringComparison.Ordinal));
        _cloud.GetState().Buckets.Should().NotContainKey(Bucket, "the run created the bucket; its cleanup removed it and everything uploaded");
        Directory.EnumerateDirectories(Path.Combine(_sandbox.Root, ".nuke", "temp", "runs"), "x509-*", SearchOption.AllDirectories).Should().BeEmpty();
    }

    private int ObjectCount() => _cloud.GetState().Buckets.TryGetValue(Bucket, out var bucket) ? bucket.Objects.Count : 0;

    private Process StartHostProcess(params string[] args) => StartHostProcess(new System.Collections.Concurrent.ConcurrentQueue<string>(), args);

    private Process StartHostProcess(System.Collections.Concurrent.ConcurrentQueue<string> output, params string[] args)
    {
        var hostDll = Path.Combine(Path.GetDirectoryName(HostSandbox.PluginsFolder)!, "_build.dll");
        var start = new ProcessStartInfo("dotnet", [hostDll, .. args])
        {
            WorkingDirectory = _sandbox.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.WorkingDirectory = _sandbox.Root;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => output.Enqueue(line.Data ?? string.Empty);
        process.ErrorDataReceived += (_, line) => output.Enqueue(line.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }
}
