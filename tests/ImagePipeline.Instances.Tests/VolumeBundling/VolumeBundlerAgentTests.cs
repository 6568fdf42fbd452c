using System.Diagnostics;
using Amazon.EC2;
using Amazon.EC2.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Instances.Remote;
using ImagePipeline.Instances.VolumeBundling;
using ImagePipeline.Testing;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Instances.Tests.VolumeBundling;

/// <summary>
/// The host's one volume bundler agent over a real sshd on 127.0.0.1, writing onto a volume the local cloud created
/// and attached (its device file on the loopback "instance"): what the agent wrote is what the snapshot keeps.
/// </summary>
public sealed class VolumeBundlerAgentTests(SshServerFixture sshd, AttachedVolumeCloudFixture cloud)
    : IClassFixture<SshServerFixture>, IClassFixture<AttachedVolumeCloudFixture>, IDisposable
{
    private readonly RecordingLoggerProvider _logs = new();
    private readonly string _volume = Directory.CreateTempSubdirectory("imagepipeline-agent-volume-").FullName;

    [Fact]
    public async Task The_agent_images_a_mounted_volume_onto_an_attached_volume_whose_snapshot_holds_the_provisioned_marker()
    {
        var mountPoint = MountedVolumeWithMarker();
        using var ec2 = cloud.Ec2();
        var instance = (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [cloud.NewInstance(rootDeviceType: "instance-store")] })).Reservations.Single().Instances.Single();
        var volume = await AttachedVolumeAsync(ec2, instance, "/dev/xvdf", snapshotId: null);
        var staging = sshd.Subdirectory("staging-" + Guid.NewGuid().ToString("N")[..8]);
        var report = new List<string>();

        await using (var session = await new SshRemoteShell().ConnectAsync(sshd.Endpoint, Logger(), CancellationToken.None))
        {
            var exit = await new VolumeBundlerAgent().RunAsync(
                session, staging, ["--output-device", Path.Combine(cloud.AttachedVolumeDirectory!, "xvdf"), "--volume", mountPoint], report.Add, Logger(), CancellationToken.None);
            exit.ExitStatus.Should().Be(0, string.Join('\n', exit.ErrorLines));
        }

        await ec2.DetachVolumeAsync(new DetachVolumeRequest { VolumeId = volume });
        var snapshot = (await ec2.CreateSnapshotAsync(new CreateSnapshotRequest { VolumeId = volume })).Snapshot.SnapshotId;
        await ec2.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volume });
        cloud.Clock.Advance(cloud.SnapshotCompletionDelay + TimeSpan.FromSeconds(1));
        var restored = await AttachedVolumeAsync(ec2, instance, "/dev/xvdg", snapshot);

        report.Should().Contain(line => line.StartsWith("{\"event\":\"written\"", StringComparison.Ordinal));
        Run("debugfs", "-R", "cat /etc/provisioned", Path.Combine(cloud.AttachedVolumeDirectory!, "xvdg")).Should().Be("marker from the provisioning script");
        Directory.EnumerateFileSystemEntries(staging).Should().BeEmpty("the program and its files are removed after it ends");
        _logs.Text.Should().Contain("Copied the volume bundler for linux-").And.Contain("SHA-256");
        await ec2.DetachVolumeAsync(new DetachVolumeRequest { VolumeId = restored });
        await ec2.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = restored });
    }

    [Fact]
    public async Task A_login_that_cannot_become_root_is_a_problem_named_before_anything_is_copied()
    {
        await using var session = await new SshRemoteShell().ConnectAsync(sshd.Endpoint, Logger(), CancellationToken.None);

        IReadOnlyList<string> problems;
        using (sshd.Pretend(machine: "sparc64", uid: 1000))
        {
            problems = await new VolumeBundlerAgent().ProblemsAsync(session, CancellationToken.None);
        }

        problems.Should().HaveCount(2);
        problems.Should().Contain(problem => problem.Contains("ships for x86_64 and aarch64 only", StringComparison.Ordinal));
        problems.Should().Contain(problem => problem.Contains("passwordless sudo", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        Run("sh", "-c", $"umount -l {Quote(Path.Combine(_volume, "mnt"))} 2>/dev/null; rm -rf {Quote(_volume)}");
        _logs.Dispose();
    }

    private string MountedVolumeWithMarker()
    {
        var mountPoint = Path.Combine(_volume, "mnt");
        Run("sh", "-c", $"""
            cd {Quote(_volume)} && truncate -s 64M volume.img && mke2fs -q -t ext4 -F -L agent-root volume.img && mkdir mnt && mount -o loop volume.img mnt
            mkdir mnt/etc && printf 'marker from the provisioning script' > mnt/etc/provisioned
            """);
        return mountPoint;
    }

    private async Task<string> AttachedVolumeAsync(AmazonEC2Client ec2, Instance instance, string device, string? snapshotId)
    {
        var created = await ec2.CreateVolumeAsync(new CreateVolumeRequest { AvailabilityZone = instance.Placement.AvailabilityZone, Size = 1, SnapshotId = snapshotId, VolumeType = VolumeType.Gp3 });
        cloud.Clock.Advance(cloud.InstanceTransitionDelay + TimeSpan.FromSeconds(1));
        await ec2.AttachVolumeAsync(new AttachVolumeRequest { VolumeId = created.Volume.VolumeId, InstanceId = instance.InstanceId, Device = device });
        return created.Volume.VolumeId;
    }

    private ILogger Logger() => _logs.CreateLogger("VolumeBundlerAgentTests");

    private static string Quote(string value) => RemoteCommands.Quote(value);

    private static string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }
}
