using System.Text;
using System.Text.Json;
using ImagePipeline.Abstractions;
using ImagePipeline.Core.Engine;
using ImagePipeline.Core.Sessions;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>
/// ec2-bundle-vol's options as the host exposes them (--volume-fstab, --volume-generate-fstab, --volume-no-filter,
/// --volume-all-mounts, --volume-partition, --kernel-id, --ramdisk-id), each seen in the bundle taken back from the local cloud.
/// </summary>
public sealed partial class BuiltinBundlerOverSshTests
{
    private const string VolumeFstab = "UUID=old / ext4 defaults 0 1\n";

    [Fact]
    public async Task By_default_the_volumes_fstab_is_bundled_as_it_is_keys_are_left_out_and_a_mount_that_is_not_local_is_left_empty()
    {
        await using var bake = new Bake(cloud);
        using var volume = LiveVolume.CreatePrepared(bake.Directory);
        MountRamfs(volume);
        var parameters = Parameters(bake, volume);
        parameters["bundle-prefix"] = "defaults";

        var result = await bake.RunAsync(parameters, "UploadBundle");

        result.Failure.Should().BeNull(bake.Harness.Logs.Text);
        var image = await DownloadAndUnbundleAsync(bake, "defaults");
        WithMountedImage(bake, image, 0, mounted =>
        {
            File.ReadAllText(Path.Combine(mounted, "etc/fstab")).Should().Be(VolumeFstab);
            File.Exists(Path.Combine(mounted, "etc/fstab.old")).Should().BeFalse();
            File.Exists(Path.Combine(mounted, "etc/server.pem")).Should().BeFalse();
            File.Exists(Path.Combine(mounted, "home/alice/.bash_history")).Should().BeFalse();
            Directory.Exists(Path.Combine(mounted, "scratch/ramfs")).Should().BeTrue("the mount point is kept");
            Directory.EnumerateFileSystemEntries(Path.Combine(mounted, "scratch/ramfs")).Should().BeEmpty("ramfs is not a local file system to ec2-bundle-vol");
        });
        AssertNothingLeftOnTheInstance(volume, parameters);
    }

    [Fact]
    public async Task The_volume_options_give_an_fstab_byte_for_byte_the_filtered_files_the_mounts_that_are_not_local_and_the_kernel()
    {
        await using var bake = new Bake(cloud);
        using var volume = LiveVolume.CreatePrepared(bake.Directory);
        MountRamfs(volume);
        // A byte-order mark, CRLF and a byte that is not UTF-8: written as given, not re-encoded.
        byte[] fstab = [0xEF, 0xBB, 0xBF, .. Encoding.ASCII.GetBytes("# ours\r\nLABEL=root / ext4 defaults 0 0\r\n# "), 0xFF, (byte)'\n'];
        var fstabPath = Path.Combine(bake.Directory, "fstab.ours");
        await File.WriteAllBytesAsync(fstabPath, fstab);
        var parameters = Parameters(bake, volume);
        parameters["bundle-prefix"] = "options";
        parameters["volume-fstab"] = fstabPath;
        parameters["volume-no-filter"] = "true";
        parameters["volume-all-mounts"] = "true";
        parameters["virtualization-type"] = "paravirtual";
        parameters["kernel-id"] = "aki-88aa75e1";
        parameters["ramdisk-id"] = "ari-a51cf9cc";

        var result = await bake.RunAsync(parameters);

        result.Failure.Should().BeNull(bake.Harness.Logs.Text);
        bake.LiveImagesNamed().Should().ContainSingle().Which.KernelId.Should().Be("aki-88aa75e1", "the manifest names the kernel, and EC2 takes it from there");
        var image = await DownloadAndUnbundleAsync(bake, "options");
        File.ReadAllText(Path.Combine(bake.Directory, "downloaded-options", "options.manifest.xml"))
            .Should().Contain("<kernel_id>aki-88aa75e1</kernel_id>").And.Contain("<ramdisk_id>ari-a51cf9cc</ramdisk_id>");
        WithMountedImage(bake, image, 0, mounted =>
        {
            File.ReadAllBytes(Path.Combine(mounted, "etc/fstab")).Should().Equal(fstab);
            File.ReadAllText(Path.Combine(mounted, "etc/fstab.old")).Should().Be(VolumeFstab, "the volume's own is kept beside it");
            File.ReadAllText(Path.Combine(mounted, "etc/server.pem")).Should().Be("secret", "--volume-no-filter keeps what the filter leaves out");
            File.Exists(Path.Combine(mounted, "home/alice/.bash_history")).Should().BeTrue();
            File.ReadAllText(Path.Combine(mounted, "scratch/ramfs/inside")).Should().Be("ramfs", "--volume-all-mounts copies mounts that are not local");
            Directory.Exists(Path.Combine(mounted, "staging")).Should().BeFalse("the staging folder, which held the fstab, is never in the image");
        });
        AssertNothingLeftOnTheInstance(volume, parameters);
    }

    [Fact]
    public async Task An_mbr_partitioned_image_holds_the_volume_in_its_first_partition_with_a_generated_fstab_naming_its_uuid()
    {
        await using var bake = new Bake(cloud);
        using var volume = LiveVolume.CreatePrepared(bake.Directory);
        var parameters = Parameters(bake, volume);
        parameters["bundle-prefix"] = "partitioned";
        parameters["volume-partition"] = "mbr";
        parameters["volume-generate-fstab"] = "true";

        var result = await bake.RunAsync(parameters, "UploadBundle");

        result.Failure.Should().BeNull(bake.Harness.Logs.Text);
        var image = await DownloadAndUnbundleAsync(bake, "partitioned");
        using var table = JsonDocument.Parse(LiveVolume.Run($"sfdisk --json {LiveVolume.Quote(image)}"));
        var partitionTable = table.RootElement.GetProperty("partitiontable");
        partitionTable.GetProperty("label").GetString().Should().Be("dos");
        partitionTable.GetProperty("partitions")[0].GetProperty("start").GetInt64().Should().Be(63);
        var uuid = LiveVolume.Run($"blkid -p -o value -s UUID {LiveVolume.Quote(Path.Combine(volume.Root, "volume.img"))}").Trim();
        WithMountedImage(bake, image, 63 * 512, mounted =>
        {
            File.ReadAllBytes(Path.Combine(mounted, "usr/bin/tool")).Should().Equal(File.ReadAllBytes(volume.Path("usr/bin/tool")));
            File.ReadAllLines(Path.Combine(mounted, "etc/fstab")).Should().Contain($"UUID={uuid}\t/\text4\tdefaults\t1\t1");
            File.ReadAllText(Path.Combine(mounted, "etc/fstab.old")).Should().Be(VolumeFstab);
        });
        AssertNothingLeftOnTheInstance(volume, parameters);
    }

    [Fact]
    public async Task An_instance_without_loop_devices_is_an_input_error_naming_the_fix_and_leaves_nothing_on_the_instance()
    {
        await using var bake = new Bake(cloud);
        using var volume = LiveVolume.CreatePrepared(bake.Directory);
        var parameters = Parameters(bake, volume);

        RunResult result;
        using (sshd.Pretend(noLoopDevices: true))
        {
            result = await bake.RunAsync(parameters);
        }

        result.Failure.Should().BeOfType<PipelineException>().Which.Kind.Should().Be(PipelineErrorKind.Input, "an input error is exit 2");
        result.Failure!.Message.Should().Contain("modprobe loop").And.NotContain("\n");
        result.CleanupFailures.Should().BeEmpty();
        AssertNothingLeftOnTheInstance(volume, parameters);
        bake.BucketExists.Should().BeFalse();
    }

    [Theory]
    [InlineData("volume-fstab", "missing-fstab", "--volume-fstab '", "does not exist")]
    [InlineData("volume-generate-fstab", "true", "--volume-fstab and --volume-generate-fstab both say", "pass one of them")]
    [InlineData("kernel-id", "aki-88aa75e1", "--kernel-id applies to paravirtual images only", "--virtualization-type paravirtual")]
    public async Task Volume_options_that_cannot_work_are_refused_before_anything_is_created(string name, string value, string expected, string fix)
    {
        await using var bake = new Bake(cloud);
        using var volume = LiveVolume.CreateEmpty(bake.Directory);
        var parameters = Parameters(bake, volume);
        parameters["volume-fstab"] = Path.Combine(bake.Directory, "fstab");
        await File.WriteAllTextAsync(parameters["volume-fstab"], VolumeFstab);
        parameters[name] = value == "missing-fstab" ? Path.Combine(bake.Directory, value) : value;

        var run = () => bake.RunAsync(parameters);

        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors.Should().ContainSingle(message => message.Contains(expected, StringComparison.Ordinal))
            .Which.Should().Contain(fix);
        AssertNothingLeftOnTheInstance(volume, parameters);
        bake.BucketExists.Should().BeFalse();
    }

    [Fact]
    public async Task A_builtin_bundler_option_with_the_ami_tools_is_refused_naming_the_bundle_vol_command()
    {
        await using var bake = new Bake(cloud);
        using var volume = LiveVolume.CreateEmpty(bake.Directory);
        var parameters = Parameters(bake, volume);
        parameters["bundler"] = "ami-tools";
        parameters["volume-partition"] = "mbr";

        var run = () => bake.RunAsync(parameters);

        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors.Should().ContainSingle(message => message.StartsWith("--volume-partition applies to --bundler builtin", StringComparison.Ordinal))
            .Which.Should().Contain("--bundle-vol-command");
        AssertNothingLeftOnTheInstance(volume, parameters);
        bake.BucketExists.Should().BeFalse();
    }

    [Theory]
    [InlineData("volume", "/")]
    [InlineData("volume-exclude", "/var/cache")]
    [InlineData("volume-include", "*.pem")]
    public async Task A_volume_option_with_the_ami_tools_is_refused_instead_of_ignored(string name, string value)
    {
        await using var bake = new Bake(cloud);
        using var volume = LiveVolume.CreateEmpty(bake.Directory);
        var parameters = Parameters(bake, volume);
        parameters["bundler"] = "ami-tools";
        parameters[name] = value;

        var run = () => bake.RunAsync(parameters);

        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors.Should().ContainSingle(message => message.StartsWith($"--{name} applies to --bundler builtin", StringComparison.Ordinal))
            .Which.Should().Contain("--bundle-vol-command");
        AssertNothingLeftOnTheInstance(volume, parameters);
        bake.BucketExists.Should().BeFalse();
    }

    [Fact]
    public async Task A_live_volume_option_with_a_disk_image_is_refused_instead_of_ignored()
    {
        await using var bake = new Bake(cloud);
        using var volume = LiveVolume.CreateEmpty(bake.Directory);
        var parameters = Parameters(bake, volume);
        parameters.Remove("instance-host");
        parameters["image-file"] = Path.Combine(bake.Directory, "disk.img");
        await File.WriteAllBytesAsync(parameters["image-file"], new byte[1024 * 1024]);
        parameters["volume-exclude"] = "/var/cache";

        var run = () => bake.RunAsync(parameters);

        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors
            .Should().Contain("--volume-exclude applies to a live volume (--instance-host or --source-ami); a disk image (--image-file) is bundled as it is, so drop --volume-exclude.");
        bake.BucketExists.Should().BeFalse();
    }

    [Fact]
    public async Task A_partition_table_the_bundler_does_not_make_is_refused()
    {
        await using var bake = new Bake(cloud);
        using var volume = LiveVolume.CreateEmpty(bake.Directory);
        var parameters = Parameters(bake, volume);
        parameters["volume-partition"] = "hybrid";

        var run = () => bake.RunAsync(parameters);

        var refused = (await run.Should().ThrowAsync<PipelineException>()).Which;
        refused.Kind.Should().Be(PipelineErrorKind.Input);
        refused.Message.Should().Contain("--volume-partition").And.Contain("mbr");
        bake.BucketExists.Should().BeFalse();
    }

    /// <summary>A ramfs (not a local file system to ec2-bundle-vol) inside the volume's tmpfs, holding one file.</summary>
    private static void MountRamfs(LiveVolume volume) =>
        LiveVolume.Run($"mkdir {LiveVolume.Quote(volume.Path("scratch/ramfs"))} && mount -t ramfs ramfs {LiveVolume.Quote(volume.Path("scratch/ramfs"))} && printf ramfs > {LiveVolume.Quote(volume.Path("scratch/ramfs/inside"))}");

    private static void WithMountedImage(Bake bake, string image, long offset, Action<string> inspect)
    {
        var mounted = Directory.CreateDirectory(Path.Combine(bake.Directory, "mounted-" + Path.GetFileName(Path.GetDirectoryName(image)))).FullName;
        LiveVolume.Run($"mount -o loop,ro,offset={offset} {LiveVolume.Quote(image)} {LiveVolume.Quote(mounted)}");
        try
        {
            inspect(mounted);
        }
        finally
        {
            LiveVolume.TryRun($"umount {LiveVolume.Quote(mounted)}");
        }
    }
}
