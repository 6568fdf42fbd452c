using System.Security.Cryptography;
using ImagePipeline.VolumeBundler.Native;

namespace ImagePipeline.VolumeBundler.Tests;

public sealed class VolumeImagingTests : IClassFixture<BundledVolumeFixture>
{
    private static readonly string[] Filtered = ["etc/server.pem", "home/alice/.bash_history", "home/alice/.ssh/id_rsa", "etc/hosts~"];

    // Their content is replaced or added to by design (fstab, special devices), so their modification time moves.
    private static readonly string[] ChangedByDesign = ["etc", "etc/fstab", "dev"];

    private readonly BundledVolumeFixture _fixture;

    public VolumeImagingTests(BundledVolumeFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void Every_kept_entry_has_its_content_owner_mode_times_and_extended_attributes()
    {
        var kept = _fixture.Before.Keys.Where(IsKept).ToList();
        kept.Should().Contain(["usr/bin/tool", "home/alice/notes", "srv/shared", "tmpdir", "etc/hosts", "srv/full", "srv/pipe", "scratch/inside"]);

        foreach (var relative in kept)
        {
            var (before, attributes) = _fixture.Before[relative];
            var image = _fixture.InImage(relative);
            var after = Libc.LStat(image);
            after.Type.Should().Be(before.Type, relative);
            after.Uid.Should().Be(before.Uid, relative);
            after.Gid.Should().Be(before.Gid, relative);
            BundledVolumeFixture.Attributes(image).Should().BeEquivalentTo(attributes, relative);
            if (ChangedByDesign.Contains(relative))
            {
                continue;
            }

            after.Permissions.Should().Be(before.Permissions, relative);
            after.ModificationTime.Should().Be(before.ModificationTime, relative);
            if (!before.IsDirectory)
            {
                // A directory's access time moves when the bundler lists it; a file's is read before its data is.
                after.AccessTime.Should().Be(before.AccessTime, relative);
            }

            if (before.Type == FileStatus.RegularFile)
            {
                Sha256(image).Should().Be(Sha256(_fixture.Volume.Path(relative)), relative);
            }
        }
    }

    [Fact]
    public void Setuid_setgid_and_sticky_bits_survive()
    {
        Libc.LStat(_fixture.InImage("usr/bin/tool")).Permissions.Should().Be(0b100_111_101_101u);
        Libc.LStat(_fixture.InImage("srv/shared")).Permissions.Should().Be(0b010_111_111_101u);
        Libc.LStat(_fixture.InImage("tmpdir")).Permissions.Should().Be(0b001_111_111_111u);
    }

    [Fact]
    public void Hard_links_stay_one_file_with_several_names()
    {
        var original = Libc.LStat(_fixture.InImage("srv/original"));
        original.LinkCount.Should().Be(3);
        Libc.LStat(_fixture.InImage("srv/hardlink")).Inode.Should().Be(original.Inode);
        Libc.LStat(_fixture.InImage("home/alice/hardlink-elsewhere")).Inode.Should().Be(original.Inode);
    }

    [Fact]
    public void Symlinks_keep_their_targets_absolute_and_dangling_alike()
    {
        new FileInfo(_fixture.InImage("etc/hosts-absolute")).LinkTarget.Should().Be("/etc/hosts");
        new FileInfo(_fixture.InImage("etc/dangling")).LinkTarget.Should().Be("../missing/target");
    }

    [Fact]
    public void A_sparse_file_keeps_its_holes_and_its_data()
    {
        var image = _fixture.InImage("data/sparse");
        var status = Libc.LStat(image);
        status.Size.Should().Be(20L * 1024 * 1024);
        status.AllocatedBytes.Should().BeLessThan(64 * 1024);
        Sha256(image).Should().Be(Sha256(_fixture.Volume.Path("data/sparse")));
    }

    [Fact]
    public void POSIX_ACLs_survive_access_and_default_alike()
    {
        foreach (var relative in new[] { "home/alice/notes", "srv/shared" })
        {
            var inImage = Shell.Run($"cd {Shell.Quote(_fixture.ImageRoot)} && getfacl -n {relative}");
            inImage.Should().Be(Shell.Run($"cd {Shell.Quote(_fixture.Volume.MountPoint)} && getfacl -n {relative}"));
            inImage.Should().Contain("user:1234:");
        }

        Shell.Run($"getfacl -n {Shell.Quote(_fixture.InImage("srv/shared"))}").Should().Contain("default:user:1234:rwx");
    }

    [Fact]
    public void Device_nodes_and_FIFOs_are_recreated()
    {
        var device = Libc.LStat(_fixture.InImage("srv/full"));
        device.Type.Should().Be(FileStatus.CharacterDevice);
        (device.SpecialMajor, device.SpecialMinor).Should().Be((1u, 7u));
        device.Permissions.Should().Be(0b110_010_000u);
        Libc.LStat(_fixture.InImage("srv/pipe")).Type.Should().Be(FileStatus.Fifo);
    }

    [Fact]
    public void Files_matching_the_security_filter_are_left_out_except_the_one_included()
    {
        foreach (var relative in Filtered)
        {
            Path.Exists(_fixture.InImage(relative)).Should().BeFalse(relative);
        }

        File.ReadAllText(_fixture.InImage("home/alice/.ssh/authorized_keys")).Should().Be("key");
    }

    [Fact]
    public void The_staging_folder_the_bundle_destination_and_the_image_mount_point_are_not_in_the_image()
    {
        Path.Exists(_fixture.InImage("staging")).Should().BeFalse();
        Path.Exists(_fixture.InImage("bundle-dest")).Should().BeFalse();
        Directory.GetFileSystemEntries(_fixture.ImageRoot, "*.pem", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Fact]
    public void The_always_excluded_directories_are_empty_and_dev_holds_the_special_devices()
    {
        foreach (var directory in new[] { "mnt", "proc", "sys", "media" })
        {
            Directory.GetFileSystemEntries(_fixture.InImage(directory)).Should().BeEmpty(directory);
        }

        Directory.GetFileSystemEntries(_fixture.InImage("dev")).Select(Path.GetFileName).Should().BeEquivalentTo(["null", "zero", "tty", "console", "X0R"]);
        var devices = new[] { ("null", 1u, 3u), ("zero", 1u, 5u), ("tty", 5u, 0u), ("console", 5u, 1u) };
        foreach (var (name, major, minor) in devices)
        {
            var status = Libc.LStat(_fixture.InImage("dev/" + name));
            status.Type.Should().Be(FileStatus.CharacterDevice, name);
            (status.SpecialMajor, status.SpecialMinor).Should().Be((major, minor), name);
        }

        new FileInfo(_fixture.InImage("dev/X0R")).LinkTarget.Should().Be("null");
    }

    [Fact]
    public void A_local_nested_mount_is_copied_and_a_non_local_one_is_left_as_an_empty_directory()
    {
        File.ReadAllText(_fixture.InImage("scratch/inside")).Should().Be("tmpfs");
        Directory.Exists(_fixture.InImage("ramdisk")).Should().BeTrue();
        Directory.GetFileSystemEntries(_fixture.InImage("ramdisk")).Should().BeEmpty();
    }

    [Fact]
    public void The_generated_fstab_mounts_the_root_by_UUID_and_the_old_one_is_kept()
    {
        var uuid = _fixture.SourceBlkid.Split('\n').Single(line => line.StartsWith("UUID=", StringComparison.Ordinal));
        File.ReadAllText(_fixture.InImage("etc/fstab")).Should().Contain(uuid + "\t/\text4\tdefaults");
        File.ReadAllText(_fixture.InImage("etc/fstab.old")).Should().Be("UUID=old / ext4 defaults 0 1\n");
    }

    [Fact]
    public void The_image_keeps_the_volumes_file_system_type_label_and_UUID()
    {
        var image = Shell.Run($"blkid -p -o export {Shell.Quote(_fixture.ImagePath)} | grep -E '^(UUID|LABEL|TYPE)='");
        image.Should().Be(_fixture.SourceBlkid).And.Contain("LABEL=ip-root");
    }

    [Fact]
    public void Every_part_is_reported_before_the_result_with_the_size_and_digests_of_its_file()
    {
        var kinds = _fixture.Run.Events.Select(element => element.GetProperty("event").GetString()).ToList();
        kinds[0].Should().Be("started");
        kinds[^1].Should().Be("result");
        kinds.Should().Contain("progress");
        var parts = _fixture.Run.OfKind("part").ToList();
        parts.Should().HaveCount(_fixture.Bundle.Parts.Count).And.NotBeEmpty();
        foreach (var (reported, part) in parts.Zip(_fixture.Bundle.Parts))
        {
            reported.GetProperty("fileName").GetString().Should().Be(part.FileName);
            var bytes = File.ReadAllBytes(part.Path);
            reported.GetProperty("size").GetInt64().Should().Be(bytes.Length);
            reported.GetProperty("sha1Hex").GetString().Should().Be(Convert.ToHexStringLower(SHA1.HashData(bytes)));
            reported.GetProperty("md5Base64").GetString().Should().Be(Convert.ToBase64String(MD5.HashData(bytes)));
        }

        File.Exists(Path.Combine(_fixture.Volume.Path("bundle-dest"), BundledVolumeFixture.Name)).Should().BeFalse("the image file is removed once bundled");
    }

    [Fact]
    public void Neither_the_report_nor_the_instance_side_files_hold_the_private_key()
    {
        var keyBody = _fixture.Certificates.PrivateKeyPem.Split('\n')[1];
        string.Join('\n', _fixture.Run.Events.Select(element => element.GetRawText())).Should().NotContain(keyBody).And.NotContain("PRIVATE KEY");
        foreach (var file in Directory.GetFiles(_fixture.Volume.Path("bundle-dest")))
        {
            File.ReadAllText(file).Should().NotContain(keyBody, file);
        }
    }

    private static bool IsKept(string relative)
    {
        string[] emptied = ["mnt/", "proc/", "dev/", "sys/", "media/", "ramdisk/", "staging"];
        return !Filtered.Contains(relative) && !emptied.Any(prefix => relative.StartsWith(prefix, StringComparison.Ordinal));
    }

    private static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
