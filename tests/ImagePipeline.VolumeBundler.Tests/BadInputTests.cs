namespace ImagePipeline.VolumeBundler.Tests;

/// <summary>Each mistake exits 2 with one line that names the fix, and leaves nothing behind: no destination, image, part, mount or loop device.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TestVolume _volume = TestVolume.Create();
    private readonly TestCertificates _certificates;

    public BadInputTests()
    {
        _certificates = TestCertificates.Write(Path.Combine(_volume.Root, "certificates"), _volume.Root);
        Destination = _volume.Path("bundle-dest");
    }

    private string Destination { get; set; }

    [Fact]
    public async Task Running_without_root_asks_for_sudo()
    {
        var run = await AgentProcess.RunAsync(Arguments(), wrapper: ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]);

        AssertRefused(run, "run it with sudo");
    }

    [Fact]
    public async Task A_machine_without_loop_devices_is_told_to_load_the_loop_module()
    {
        // A mount namespace whose /dev holds only what the runtime needs: no loop-control, no loop devices.
        var run = await AgentProcess.RunAsync(Arguments(), wrapper:
        [
            "unshare", "--mount", "--propagation", "private", "bash", "-c",
            "mount -t tmpfs none /dev && mknod -m 666 /dev/null c 1 3 && mknod -m 666 /dev/zero c 1 5 && mknod -m 666 /dev/urandom c 1 9 && mknod -m 666 /dev/random c 1 8 && exec \"$@\"",
            "bash",
        ]);

        AssertRefused(run, "modprobe loop");
    }

    [Fact]
    public async Task A_volume_that_does_not_exist_is_refused()
    {
        var run = await AgentProcess.RunAsync(Arguments(volume: _volume.Path("missing")));

        AssertRefused(run, "does not exist");
    }

    [Fact]
    public async Task A_volume_that_is_not_a_mount_point_is_refused()
    {
        Directory.CreateDirectory(_volume.Path("plain"));

        var run = await AgentProcess.RunAsync(Arguments(volume: _volume.Path("plain")));

        AssertRefused(run, "is not a mount point");
    }

    [Fact]
    public async Task A_size_too_small_for_the_data_names_a_size_that_fits()
    {
        Shell.Run($"head -c 30000000 /dev/urandom > {Shell.Quote(_volume.Path("data"))}");
        Destination = Path.Combine(_volume.Root, "bundle-dest");

        var run = await AgentProcess.RunAsync(Arguments(size: "16"));

        AssertRefused(run, "--size 16 MB is too small");
        run.StandardError.Should().MatchRegex("pass --size [0-9]+ or more");
    }

    [Theory]
    [InlineData("sparc64")]
    [InlineData("x86-64")]
    public async Task An_unsupported_architecture_is_refused(string architecture)
    {
        var run = await AgentProcess.RunAsync([.. Arguments(), "--arch", architecture]);

        AssertRefused(run, "pass --arch x86_64, arm64 or i386");
    }

    [Fact]
    public async Task A_private_key_is_refused_because_it_never_leaves_the_host()
    {
        var run = await AgentProcess.RunAsync([.. Arguments(), "--privatekey", _certificates.PrivateKeyPath]);

        AssertRefused(run, "takes no private key");
    }

    [Fact]
    public async Task SIGTERM_while_imaging_removes_the_image_the_parts_the_mount_and_the_loop_device()
    {
        Shell.Run($"head -c 40000000 /dev/urandom > {Shell.Quote(_volume.Path("data"))}");
        Destination = Path.Combine(_volume.Root, "bundle-dest");
        using var agent = AgentProcess.Start(Arguments());
        // At the first progress line the image is mounted and being filled: copying and bundling are still to come, so
        // the signal lands mid-run even on a fast, quiet machine (waiting for a part could find the run already over).
        await WaitForAsync(() => agent.Events.Any(element => element.GetProperty("event").GetString() == "progress"));

        Shell.Run($"kill -TERM {agent.Id}");
        var run = await agent.WaitAsync();

        run.ExitCode.Should().Be(143, run.StandardError);
        run.OfKind("error").Single().GetProperty("exitCode").GetInt32().Should().Be(143);
        AssertNothingLeft();
    }

    [Fact]
    public async Task A_destination_without_room_for_the_image_is_refused_before_anything_is_made()
    {
        Shell.Run($"head -c 40000000 /dev/urandom > {Shell.Quote(_volume.Path("data"))}");

        var run = await AgentProcess.RunAsync(Arguments());

        AssertRefused(run, "pass a --destination with more room");
    }

    public void Dispose() => _volume.Dispose();

    private List<string> Arguments(string? volume = null, string size = "64") =>
    [
        "--cert", _certificates.UserCertificatePath,
        "--ec2cert", _certificates.Ec2CertificatePath,
        "--volume", volume ?? _volume.MountPoint,
        "--size", size,
        "--destination", Destination,
    ];

    private void AssertRefused(AgentResult run, string fix)
    {
        run.ExitCode.Should().Be(2, run.StandardError);
        run.StandardError.TrimEnd('\n').Should().NotContain("\n").And.Contain(fix);
        run.OfKind("error").Single().GetProperty("message").GetString().Should().Contain(fix);
        AssertNothingLeft();
    }

    private void AssertNothingLeft()
    {
        Directory.Exists(Destination).Should().BeFalse("the run created the destination, so it removes it");
        _volume.LeftoverMountsAndLoops(except: "volume.img").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.EndsWith(" " + _volume.MountPoint + " ", StringComparison.Ordinal) && !line.Contains(" " + _volume.MountPoint + " rw", StringComparison.Ordinal))
            .Should().BeEmpty();
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the volume bundler should have reached this point");
            await Task.Delay(20);
        }
    }
}
