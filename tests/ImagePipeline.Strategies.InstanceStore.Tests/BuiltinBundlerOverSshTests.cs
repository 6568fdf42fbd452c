using System.Globalization;
using System.Text;
using ImagePipeline.Abstractions;
using ImagePipeline.Bundling;
using ImagePipeline.Core.Engine;
using ImagePipeline.Core.Parameters;
using ImagePipeline.Core.Sessions;
using ImagePipeline.LocalCloud.Faults;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>
/// --bundler builtin against the loopback sshd "instance" (root there, loop devices available): the plugin copies its
/// volume bundler over, runs it on a prepared, loop-mounted volume, uploads the parts as they are written and signs the
/// manifest here. The bundle is then taken back from the local cloud, unbundled and mounted to compare.
/// </summary>
[Collection(LocalCloudCollection.Name)]
public sealed partial class BuiltinBundlerOverSshTests(InstanceStoreCloudFixture cloud, RecordingSshServerFixture sshd) : IClassFixture<RecordingSshServerFixture>
{
    [Theory]
    [InlineData("instance")]
    [InlineData("host")]
    public async Task A_live_volume_bundled_by_the_builtin_bundler_registers_an_image_that_holds_the_same_files(string uploadFrom)
    {
        await using var bake = new Bake(cloud);
        using var volume = LiveVolume.CreatePrepared(bake.Directory);
        var parameters = Parameters(bake, volume);
        parameters["upload-from"] = uploadFrom;
        parameters["bundle-prefix"] = "live-" + uploadFrom;

        var result = await bake.RunAsync(parameters);

        result.Failure.Should().BeNull(bake.Harness.Logs.Text);
        bake.LiveImagesNamed().Should().ContainSingle().Which.ImageLocation.Should().Be($"{bake.Bucket}/live-{uploadFrom}/live-{uploadFrom}.manifest.xml");
        bake.Harness.Logs.Text.Should().Contain("parts while the bundle was being written").And.Contain("SHA-256");
        AssertNothingLeftOnTheInstance(volume, parameters);

        var image = await DownloadAndUnbundleAsync(bake, $"live-{uploadFrom}");
        LiveVolume.Identity(image).Should().Be(volume.Identity(), "the label, UUID and type of the volume are kept");
        var mounted = Directory.CreateDirectory(Path.Combine(bake.Directory, "mounted")).FullName;
        LiveVolume.Run($"mount -o loop,ro {LiveVolume.Quote(image)} {LiveVolume.Quote(mounted)}");
        try
        {
            string Stat(string relative, string format) => LiveVolume.Run($"stat -c '{format}' {LiveVolume.Quote(Path.Combine(mounted, relative))}").Trim();
            string Source(string relative, string format) => LiveVolume.Run($"stat -c '{format}' {LiveVolume.Quote(volume.Path(relative))}").Trim();

            File.ReadAllBytes(Path.Combine(mounted, "usr/bin/tool")).Should().Equal(File.ReadAllBytes(volume.Path("usr/bin/tool")));
            Stat("usr/bin/tool", "%a %u %g").Should().Be("4755 0 0");
            Stat("home/alice/notes", "%a %u %g").Should().Be(Source("home/alice/notes", "%a %u %g")).And.EndWith(" 1000 1000");
            Stat("etc/hosts", "%y").Should().Be(Source("etc/hosts", "%y"), "times are kept to the nanosecond");
            LiveVolume.Run($"getfattr --only-values -n user.origin {LiveVolume.Quote(Path.Combine(mounted, "etc/hosts"))}").Should().Be("imagepipeline");
            LiveVolume.Run($"getfacl -cp {LiveVolume.Quote(Path.Combine(mounted, "home/alice/notes"))}").Should().Contain("user:1234:rw-");
            new FileInfo(Path.Combine(mounted, "etc/hosts-absolute")).LinkTarget.Should().Be("/etc/hosts");
            new FileInfo(Path.Combine(mounted, "etc/dangling")).LinkTarget.Should().Be("../missing/target");
            Stat("srv/hardlink", "%i").Should().Be(Stat("srv/original", "%i"), "hard links stay links");
            Stat("data/sparse", "%s").Should().Be("20971520");
            long.Parse(Stat("data/sparse", "%b"), CultureInfo.InvariantCulture).Should().BeLessThan(1000, "the sparse file stays sparse");
            Stat("srv/full", "%F %t %T %a").Should().Be("character special file 1 7 620");
            Stat("srv/pipe", "%F").Should().Be("fifo");
            Stat("dev/null", "%F %t %T").Should().Be("character special file 1 3");
            File.Exists(Path.Combine(mounted, "scratch/inside")).Should().BeTrue("a tmpfs under the volume is local, as ec2-bundle-vol counts it");
            File.Exists(Path.Combine(mounted, "home/alice/.ssh/authorized_keys")).Should().BeTrue("--volume-include put it back");
            File.Exists(Path.Combine(mounted, "home/alice/.bash_history")).Should().BeFalse();
            File.Exists(Path.Combine(mounted, "etc/server.pem")).Should().BeFalse();
            Directory.EnumerateFileSystemEntries(Path.Combine(mounted, "mnt")).Should().BeEmpty();
            Directory.Exists(Path.Combine(mounted, "staging")).Should().BeFalse("the staging folder is never in the image");
            Directory.Exists(Path.Combine(mounted, "bundle-dest")).Should().BeFalse("the bundle destination is never in the image");
        }
        finally
        {
            LiveVolume.TryRun($"umount {LiveVolume.Quote(mounted)}");
        }
    }

    [Fact]
    public async Task The_private_key_is_never_sent_to_the_instance_in_a_command_or_over_SFTP()
    {
        await using var bake = new Bake(cloud);
        using var volume = LiveVolume.CreatePrepared(bake.Directory);
        var parameters = Parameters(bake, volume);
        var before = sshd.Recorded().Length;

        var result = await bake.RunAsync(parameters, "UploadBundle");

        result.Failure.Should().BeNull(bake.Harness.Logs.Text);
        var sent = Encoding.ASCII.GetString(sshd.Recorded()[before..]);
        sent.Should().Contain(File.ReadAllLines(bake.Keys.CertificatePath)[1], "the recording holds what SFTP carried: the certificate went");
        sent.Should().NotContain(bake.Keys.KeyMarker).And.NotContain(Path.GetFileName(bake.Keys.KeyPath));
        AssertNothingLeftOnTheInstance(volume, parameters);
        bake.Harness.Logs.Text.Should().NotContain(bake.Keys.KeyMarker);
    }

    [Fact]
    public async Task Cancelling_while_the_volume_is_bundled_stops_the_bundler_and_leaves_nothing_on_the_instance()
    {
        await using var bake = new Bake(cloud);
        using var volume = LiveVolume.CreatePrepared(bake.Directory);
        LiveVolume.Run($"head -c 40000000 /dev/urandom > {LiveVolume.Quote(volume.Path("data/random"))}");
        var parameters = Parameters(bake, volume);
        parameters["bundle-prefix"] = "cancelled";
        parameters["instance-bundle-destination"] = Path.Combine(volume.Root, "bundle-dest");
        var image = Path.Combine(parameters["instance-bundle-destination"], "cancelled");
        using var cancellation = new CancellationTokenSource();

        var run = bake.Harness.RunAsync("RegisterImage", parameters, cancellationToken: cancellation.Token);
        while (!File.Exists(image) && !run.IsCompleted)
        {
            await Task.Delay(20);
        }

        await cancellation.CancelAsync();
        var result = await run;

        result.Outcome.Should().Be(RunOutcome.Cancelled, result.Failure?.ToString());
        result.CleanupFailures.Should().BeEmpty();
        bake.Harness.Logs.Text.Should().Contain("Stopping the volume bundler");
        AssertNothingLeftOnTheInstance(volume, parameters);
        bake.BucketExists.Should().BeFalse();
    }

    [Fact]
    public async Task A_resumed_run_sends_only_what_is_missing_and_does_not_bundle_again()
    {
        await using var bake = new Bake(cloud);
        using var volume = LiveVolume.CreatePrepared(bake.Directory);
        LiveVolume.Run($"head -c 25000000 /dev/urandom > {LiveVolume.Quote(volume.Path("data/random"))}");
        var parameters = Parameters(bake, volume);
        parameters["bundle-prefix"] = "resumable";
        parameters["instance-bundle-destination"] = Path.Combine(volume.Root, "bundle-dest");
        parameters["upload-attempts"] = "1";
        parameters["max-attempts"] = "1";
        cloud.Server.Faults.Clear();
        try
        {
            // 25 MB of random data bundles into three parts, which go up while bundling; the fourth PUT, the manifest, fails.
            cloud.Server.Faults.Add(new FaultRule { Service = "s3", Operation = "PutObject", Kind = FaultKind.InternalError, EveryNth = 4, MaxInjections = 1 });
            var failed = await bake.RunAsync(new Dictionary<string, string>(parameters) { ["keep-on-failure"] = "true" });
            failed.Outcome.Should().Be(RunOutcome.Failed);
            var parts = bake.ObjectKeys.Count;
            bake.ObjectKeys.Should().HaveCount(3).And.OnlyContain(key => key.StartsWith("resumable/resumable.part.", StringComparison.Ordinal));

            cloud.Server.Faults.Clear();
            cloud.Server.Faults.Add(new FaultRule { Service = "s3", Operation = "PutObject", Kind = FaultKind.Latency, Latency = TimeSpan.Zero });
            var resumed = await bake.RunAsync(parameters, resume: failed.RunId);

            resumed.Failure.Should().BeNull(bake.Harness.Logs.Text);
            resumed.Targets.Single(target => target.Target == PipelineTarget.BundleVolume).Status.Should().Be(TargetStatus.Resumed);
            bake.ObjectKeys.Should().HaveCount(parts + 1, "the manifest joins the parts");
            cloud.Server.Faults.Injections.Should().ContainSingle("only the manifest was sent again, no part");
            bake.LiveImagesNamed().Should().ContainSingle();
            AssertNothingLeftOnTheInstance(volume, parameters);
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }
    }

    [Fact]
    public async Task The_plan_says_the_instance_gets_public_certificates_only()
    {
        await using var bake = new Bake(cloud);
        using var volume = LiveVolume.CreateEmpty(bake.Directory);

        var session = bake.Harness.CreateSession();
        var arguments = Parameters(bake, volume).SelectMany(pair => new[] { "--" + pair.Key, pair.Value }).ToList();
        var resolved = session.ResolveParameters(new ParameterInputs(CommandLine.Parse(arguments), new Dictionary<string, string>(), null, null));

        var plan = session.Plan("RegisterImage", resolved);

        plan.Targets.Take(2).Should().OnlyContain(target => !target.Implementation.IsApplicable, "the instance is given with --instance-host, and nothing is provisioned");
        plan.Targets.Skip(2).Select(target => (target.Target, target.Implementation.Steps.Single().Name)).Should().Equal(
            (PipelineTarget.PrepareBucket, "EnsureBundleBucket"),
            (PipelineTarget.CopyCertificates, "CopyPublicCertificatesToInstance"),
            (PipelineTarget.BundleVolume, "RunBuiltinBundler"),
            (PipelineTarget.UploadBundle, "UploadStreamedBundle"),
            (PipelineTarget.RegisterImage, "RegisterBundledImage"));
    }

    [Theory]
    [InlineData("missing", null, "does not exist")]
    [InlineData("plain", null, "is not a mount point")]
    [InlineData("", "16", "--size 16 MB is too small")]
    public async Task A_volume_the_bundler_cannot_bundle_is_an_input_error_and_leaves_nothing_on_the_instance(string volumeFolder, string? size, string expected)
    {
        await using var bake = new Bake(cloud);
        using var volume = LiveVolume.CreateEmpty(bake.Directory);
        LiveVolume.Run($"mkdir -p {LiveVolume.Quote(volume.Path("plain"))} && head -c 30000000 /dev/urandom > {LiveVolume.Quote(volume.Path("data"))}");
        var parameters = Parameters(bake, volume);
        parameters["volume"] = volumeFolder.Length == 0 ? volume.MountPoint : volume.Path(volumeFolder);
        if (size is not null)
        {
            parameters["volume-size"] = size;

            // Outside the volume, so that it is the image that is too small and not the room for it.
            parameters["instance-bundle-destination"] = Path.Combine(volume.Root, "bundle-dest");
        }

        var result = await bake.RunAsync(parameters);

        result.Failure.Should().BeOfType<PipelineException>().Which.Kind.Should().Be(PipelineErrorKind.Input);
        result.Failure!.Message.Should().Contain(expected).And.NotContain("\n");
        result.CleanupFailures.Should().BeEmpty();
        AssertNothingLeftOnTheInstance(volume, parameters);
        bake.BucketExists.Should().BeFalse();
    }

    [Theory]
    [InlineData("sparc64", null, "ships for x86_64 and aarch64 only")]
    [InlineData(null, 1000, "is not root and cannot run sudo without a password")]
    public async Task An_instance_the_bundler_cannot_run_on_is_refused_before_anything_is_copied(string? machine, int? uid, string expected)
    {
        await using var bake = new Bake(cloud);
        using var volume = LiveVolume.CreateEmpty(bake.Directory);
        var parameters = Parameters(bake, volume);
        var commandsBefore = File.Exists(sshd.CommandLog) ? File.ReadAllText(sshd.CommandLog).Length : 0;

        Func<Task> run;
        using (sshd.Pretend(machine, uid))
        {
            run = () => bake.RunAsync(parameters);
            (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors.Should().ContainSingle(message => message.Contains(expected, StringComparison.Ordinal));
        }

        File.ReadAllText(sshd.CommandLog)[commandsBefore..].Should().NotContain("mkdir", "validation only looks; nothing is created on the instance");
        AssertNothingLeftOnTheInstance(volume, parameters);
        bake.BucketExists.Should().BeFalse();
    }

    [Fact]
    public async Task Ami_tools_that_are_not_installed_are_an_input_error_naming_the_builtin_bundler()
    {
        await using var bake = new Bake(cloud);
        using var volume = LiveVolume.CreateEmpty(bake.Directory);
        var parameters = Parameters(bake, volume);
        parameters["bundler"] = "ami-tools";
        parameters.Remove("volume");
        parameters.Remove("volume-size");
        parameters.Remove("volume-include");

        var result = await bake.RunAsync(parameters);

        result.Failure.Should().BeOfType<PipelineException>().Which.Message.Should().Be(
            "ec2-bundle-vol is not installed on 127.0.0.1; install the EC2 AMI tools there, or pass --bundler builtin (the default), which needs nothing on the instance.");
        Directory.Exists(parameters["x509-upload-path"]).Should().BeFalse("the key copied for the AMI tools is removed");
    }

    private static void AssertNothingLeftOnTheInstance(LiveVolume volume, IReadOnlyDictionary<string, string> parameters)
    {
        Directory.Exists(parameters["x509-upload-path"]).Should().BeFalse("the staging folder (certificates, program) is removed");
        Directory.Exists(parameters["instance-bundle-destination"]).Should().BeFalse("the image, the parts and the folder the run created are removed");
        volume.LeftoverMountsAndLoops().Should().BeEmpty();
    }

    private Dictionary<string, string> Parameters(Bake bake, LiveVolume volume) => new(StringComparer.Ordinal)
    {
        ["bucket"] = bake.Bucket,
        ["x509-cert-path"] = bake.Keys.CertificatePath,
        ["x509-key-path"] = bake.Keys.KeyPath,
        ["ec2-cert-path"] = bake.Keys.Ec2CertificatePath,
        ["ami-name"] = bake.ImageName,
        ["poll-delay"] = "0.2",
        ["max-wait"] = "30",
        ["instance-host"] = "127.0.0.1",
        ["ssh-port"] = sshd.Port.ToString(CultureInfo.InvariantCulture),
        ["ssh-user"] = sshd.User,
        ["ssh-key"] = sshd.ClientKeyPath,
        ["ssh-host-key-fingerprint"] = sshd.HostKeyFingerprint,
        ["volume"] = volume.MountPoint,
        ["volume-size"] = "64",
        ["volume-include"] = volume.Path("home/alice/.ssh/authorized_keys"),
        // Both inside the volume: the bundler must leave them out of the image.
        ["x509-upload-path"] = volume.Path("staging"),
        ["instance-bundle-destination"] = volume.Path("bundle-dest"),
    };

    private async Task<string> DownloadAndUnbundleAsync(Bake bake, string prefix)
    {
        var downloaded = Directory.CreateDirectory(Path.Combine(bake.Directory, "downloaded-" + prefix)).FullName;
        foreach (var key in bake.ObjectKeys.Where(key => key.StartsWith(prefix + "/", StringComparison.Ordinal)))
        {
            await File.WriteAllBytesAsync(Path.Combine(downloaded, key.Split('/')[^1]), cloud.Server.ReadObject(bake.Bucket, key)!);
        }

        return await new ImageBundler().UnbundleAsync(
            new BundleKeyRequest { ManifestPath = Path.Combine(downloaded, prefix + ".manifest.xml"), PrivateKeyPath = bake.Keys.KeyPath, UserCertificatePath = bake.Keys.CertificatePath },
            Directory.CreateDirectory(Path.Combine(bake.Directory, "unbundled-" + prefix)).FullName,
            null,
            CancellationToken.None);
    }
}
