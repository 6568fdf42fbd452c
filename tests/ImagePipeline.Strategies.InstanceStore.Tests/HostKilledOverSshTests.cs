using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ImagePipeline.LocalCloud;
using ImagePipeline.LocalCloud.Faults;
using ImagePipeline.Testing;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>
/// The console host (build/_build, its own process) bundling a live volume over the loopback sshd, killed with SIGKILL
/// once the instance holds a finished bundle whose parts are still going up, then resumed.
/// </summary>
public sealed class HostKilledOverSshTests(HostProcessCloudFixture cloud, RecordingSshServerFixture sshd)
    : IClassFixture<HostProcessCloudFixture>, IClassFixture<RecordingSshServerFixture>
{
    private const string Prefix = "killed";

    /// <summary>The built host: artifacts/bin/_build/CONFIGURATION/_build.dll, beside its plugins and local cloud.</summary>
    private static readonly string HostPath = Path.GetFullPath(Path.Combine(
        AppContext.BaseDirectory, "..", "..", "_build", Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)), "_build.dll"));

    [Fact]
    public async Task After_a_SIGKILL_resume_uploads_only_the_missing_parts_of_the_bundle_the_instance_finished_and_does_not_bundle_again()
    {
        var root = cloud.Subdirectory("host-killed-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(root, ".nuke"));
        var keys = TestKeys.Create(Directory.CreateDirectory(Path.Combine(root, "keys")).FullName);
        using var volume = LiveVolume.CreateEmpty(root, megabytes: 128);
        LiveVolume.Run($"head -c 45000000 /dev/urandom > {LiveVolume.Quote(volume.Path("random"))}");
        var bucket = LocalCloudFixture.UniqueBucket("killed");
        var destination = Path.Combine(volume.Root, "bundle-dest");
        var staging = Path.Combine(volume.Root, "staging");
        var parameters = new Dictionary<string, object>
        {
            ["endpoint-url"] = cloud.Endpoint.ToString(),
            ["bucket"] = bucket,
            ["account-id"] = LocalCloudAccounts.AccountId,
            ["x509-cert-path"] = keys.CertificatePath,
            ["x509-key-path"] = keys.KeyPath,
            ["ec2-cert-path"] = keys.Ec2CertificatePath,
            ["instance-host"] = "127.0.0.1",
            ["ssh-port"] = sshd.Port,
            ["ssh-user"] = sshd.User,
            ["ssh-key"] = sshd.ClientKeyPath,
            ["ssh-host-key-fingerprint"] = sshd.HostKeyFingerprint,
            ["volume"] = volume.MountPoint,
            ["volume-size"] = 128,
            ["x509-upload-path"] = staging,
            ["instance-bundle-destination"] = destination,
            ["bundle-prefix"] = Prefix,
            // Through this host, so that no PUT outlives it: a curl on the instance would go on after the kill.
            ["upload-from"] = "host",
            ["upload-concurrency"] = 1,
        };
        await File.WriteAllTextAsync(Path.Combine(root, ".nuke", "parameters.json"), JsonSerializer.Serialize(parameters));
        var finished = Path.Combine(destination, Prefix + ".bundle.json");
        cloud.Server.Faults.Clear();
        try
        {
            // Each part takes 1.5 s to go up, one at a time: the bundle is finished on the instance long before its parts are all in S3.
            cloud.Server.Faults.Add(new FaultRule { Service = "s3", Operation = "PutObject", Kind = FaultKind.Latency, Latency = TimeSpan.FromMilliseconds(1500) });
            var output = new List<string>();
            using (var host = StartHost(root, output, "UploadBundle"))
            {
                var deadline = DateTime.UtcNow.AddMinutes(3);
                while (!File.Exists(finished) && !host.HasExited && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(50);
                }

                host.HasExited.Should().BeFalse("the kill must land while parts are still uploading: " + Text(output));
                File.Exists(finished).Should().BeTrue("the volume bundler finished the bundle");
                host.Kill(entireProcessTree: true);
                await host.WaitForExitAsync();
            }

            var parts = Directory.GetFiles(destination, Prefix + ".part.*").Length;
            var uploadedBeforeResume = ObjectKeys(bucket).Count;
            parts.Should().BeGreaterThanOrEqualTo(4);
            uploadedBeforeResume.Should().BeLessThan(parts, "some parts were still to go when the host was killed");
            var commandsBefore = File.ReadAllText(sshd.CommandLog).Length;
            cloud.Server.Faults.Clear();
            cloud.Server.Faults.Add(new FaultRule { Service = "s3", Operation = "PutObject", Kind = FaultKind.Latency, Latency = TimeSpan.Zero });

            var resumed = await RunHostAsync(root, "UploadBundle", "--resume");

            resumed.ExitCode.Should().Be(0, resumed.Output);
            resumed.Output.Should().Contain("finished by an earlier attempt");
            File.ReadAllText(sshd.CommandLog)[commandsBefore..].Should().NotContain("setsid", "the volume bundler is not started again");
            // One part at a time goes up: the one in flight at the kill may be in S3 without the host having seen S3's
            // answer, and is then sent again; nothing else that is in S3 is.
            cloud.Server.Faults.InjectedCount.Should().BeInRange(
                parts - uploadedBeforeResume + 1,
                parts - uploadedBeforeResume + 2,
                "only the missing parts (and at most the one in flight at the kill), then the manifest, are sent");
            ObjectKeys(bucket).Should().HaveCount(parts + 1).And.Contain($"{Prefix}/{Prefix}.manifest.xml");
            Directory.Exists(staging).Should().BeFalse("the staging folder and the program left by the killed host are removed");
            Directory.Exists(destination).Should().BeFalse("the bundle on the instance is removed once it is in S3");
            volume.LeftoverMountsAndLoops().Should().BeEmpty();
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }
    }

    private IReadOnlyList<string> ObjectKeys(string bucket) =>
        cloud.State.Buckets.TryGetValue(bucket, out var record) ? record.Objects.Keys.ToArray() : [];

    private static Process StartHost(string root, List<string> output, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [HostPath, .. args]) { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => Record(output, line.Data);
        process.ErrorDataReceived += (_, line) => Record(output, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<(int ExitCode, string Output)> RunHostAsync(string root, params string[] args)
    {
        var output = new List<string>();
        using var host = StartHost(root, output, args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await host.WaitForExitAsync(timeout.Token);
        host.WaitForExit();
        return (host.ExitCode, Text(output));
    }

    private static string Text(List<string> output)
    {
        lock (output)
        {
            return string.Join('\n', output);
        }
    }

    private static void Record(List<string> output, string? line)
    {
        lock (output)
        {
            output.Add(line ?? string.Empty);
        }
    }
}
