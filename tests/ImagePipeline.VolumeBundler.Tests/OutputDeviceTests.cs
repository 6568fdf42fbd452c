namespace ImagePipeline.VolumeBundler.Tests;

/// <summary>
/// --output-device: the volume imaged with the bundler's rules onto a block device (an attached EBS volume; here a loop
/// device over a file), then left unmounted, with no bundle and no certificates.
/// </summary>
public sealed class OutputDeviceTests : IDisposable
{
    private readonly TestVolume _volume = TestVolume.Create(label: "device-root");
    private readonly string _device;

    public OutputDeviceTests()
    {
        Shell.Run($"truncate -s 128M {Shell.Quote(Path.Combine(_volume.Root, "ebs-volume.img"))}");
        _device = Shell.Run($"losetup --find --show {Shell.Quote(Path.Combine(_volume.Root, "ebs-volume.img"))}").Trim();
    }

    [Fact]
    public async Task The_volume_is_written_onto_the_device_with_its_label_and_the_bundlers_exclusions_and_filter_and_left_unmounted()
    {
        Shell.Run($"""
            cd {Shell.Quote(_volume.MountPoint)}
            mkdir -p etc home/alice/.ssh skip
            printf provisioned > etc/marker
            printf private > home/alice/.ssh/id_rsa
            printf skipped > skip/file
            """);

        var uuid = Shell.Run($"blkid -o value -s UUID {Shell.Quote(Path.Combine(_volume.Root, "volume.img"))}").Trim();

        var run = await AgentProcess.RunAsync(["--output-device", _device, "--volume", _volume.MountPoint, "--exclude", _volume.Path("skip"), "--generate-fstab"]);

        run.ExitCode.Should().Be(0, run.StandardError);
        var written = run.OfKind("written").Single();
        written.GetProperty("device").GetString().Should().Be(_device);
        written.GetProperty("imageSize").GetInt64().Should().Be(128L * 1024 * 1024);
        run.OfKind("part").Should().BeEmpty();
        Debugfs("cat /etc/marker").Should().Be("provisioned");
        Debugfs("ls -l /home/alice/.ssh").Should().NotContain("id_rsa");
        Debugfs("ls -l /").Should().NotContain(" skip");
        Debugfs("cat /etc/fstab").Should().Contain($"UUID={uuid}\t/\text4");
        Shell.Run($"blkid -o value -s LABEL {_device}").Trim().Should().Be("device-root");
        Shell.Run($"blkid -o value -s UUID {_device}").Trim().Should().Be(uuid);
        File.ReadAllText("/proc/self/mountinfo").Should().NotContain("imagepipeline-output-");
        Shell.Run("losetup --list --noheadings --output NAME,BACK-FILE").Split('\n').Count(line => line.Contains(_volume.Root, StringComparison.Ordinal))
            .Should().Be(2, "the test's own volume and device remain, and the run's loop device is detached");
    }

    [Fact]
    public async Task Bundle_options_with_an_output_device_are_refused_naming_them()
    {
        var run = await AgentProcess.RunAsync(["--output-device", _device, "--volume", _volume.MountPoint, "--cert", "/etc/hosts", "--prefix", "x"]);

        run.ExitCode.Should().Be(2, run.StandardError);
        run.StandardError.Should().Contain("--cert, --prefix do not apply");
    }

    [Fact]
    public async Task A_mounted_device_is_refused_and_left_as_it_was()
    {
        var mounted = Shell.Run($"losetup --noheadings --output NAME -j {Shell.Quote(Path.Combine(_volume.Root, "volume.img"))}").Trim();

        var run = await AgentProcess.RunAsync(["--output-device", mounted, "--volume", _volume.MountPoint]);

        run.ExitCode.Should().Be(2, run.StandardError);
        run.StandardError.Should().Contain("is mounted");
        Shell.Run($"blkid -o value -s LABEL {mounted}").Trim().Should().Be("device-root");
    }

    [Fact]
    public async Task A_device_that_does_not_exist_is_refused()
    {
        var run = await AgentProcess.RunAsync(["--output-device", "/dev/xvdz-not-there", "--volume", _volume.MountPoint]);

        run.ExitCode.Should().Be(2, run.StandardError);
        run.StandardError.Should().Contain("does not exist");
    }

    public void Dispose()
    {
        Shell.TryRun($"losetup -d {_device}");
        _volume.Dispose();
    }

    private string Debugfs(string request) => Shell.Run($"debugfs -R {Shell.Quote(request)} {_device} 2>/dev/null");
}
