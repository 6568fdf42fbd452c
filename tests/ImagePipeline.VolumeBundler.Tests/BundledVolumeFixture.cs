using ImagePipeline.Abstractions;
using ImagePipeline.Bundling;
using ImagePipeline.VolumeBundler.Native;

namespace ImagePipeline.VolumeBundler.Tests;

/// <summary>
/// Prepares a volume with everything ec2-bundle-vol must keep or leave out, records its metadata, runs the volume
/// bundler on it (certificates only), then, as the host: seals the manifest with the private key, unbundles with the
/// existing unbundler and mounts the image read-only for the tests to compare.
/// </summary>
public sealed class BundledVolumeFixture : IAsyncLifetime
{
    internal const string Name = "test-image";

    private readonly TestVolume _volume = TestVolume.Create(label: "ip-root");

    internal TestVolume Volume => _volume;

    internal TestCertificates Certificates { get; private set; } = null!;

    /// <summary>Relative path → what the volume held before the run (lstat does not touch access times).</summary>
    internal Dictionary<string, (FileStatus Status, Dictionary<string, string> Attributes)> Before { get; } = [];

    internal AgentResult Run { get; private set; } = null!;

    internal UnsignedBundle Bundle { get; private set; } = null!;

    internal string ImagePath { get; private set; } = string.Empty;

    internal string ImageRoot => Path.Combine(_volume.Root, "image-mount");

    internal string SourceBlkid { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        Shell.Run($"""
            cd {Shell.Quote(_volume.MountPoint)}
            mkdir -p etc home/alice/.ssh root srv usr/bin staging mnt/ephemeral proc dev sys media data
            printf 'hosts\n' > etc/hosts
            printf 'UUID=old / ext4 defaults 0 1\n' > etc/fstab
            head -c 300000 /dev/urandom > usr/bin/tool && chmod 4755 usr/bin/tool
            printf 'alice\n' > home/alice/notes && chown 1000:1000 home/alice home/alice/notes && chmod 640 home/alice/notes
            mkdir srv/shared && chown 0:1000 srv/shared && chmod 2775 srv/shared
            mkdir tmpdir && chmod 1777 tmpdir
            ln -s /etc/hosts etc/hosts-absolute
            ln -s ../missing/target etc/dangling
            printf 'linked\n' > srv/original && ln srv/original srv/hardlink && ln srv/original home/alice/hardlink-elsewhere
            truncate -s 20M data/sparse
            printf A | dd of=data/sparse bs=1 seek=5000000 conv=notrunc status=none
            printf B | dd of=data/sparse bs=1 seek=15000000 conv=notrunc status=none
            setfattr -n user.origin -v imagepipeline etc/hosts
            setfattr -n user.empty etc/fstab
            setfacl -m u:1234:rw,g:2345:r home/alice/notes
            setfacl -d -m u:1234:rwx srv/shared
            mknod srv/full c 1 7 && chmod 620 srv/full
            mkfifo srv/pipe
            printf key > home/alice/.ssh/authorized_keys
            printf history > home/alice/.bash_history
            printf secret > etc/server.pem
            printf private > home/alice/.ssh/id_rsa
            printf backup > etc/hosts~
            printf eph > mnt/ephemeral/file && printf p > proc/file && printf d > dev/file
            mkdir scratch && mount -t tmpfs -o size=1m tmpfs scratch && printf tmpfs > scratch/inside
            mkdir ramdisk && mount -t ramfs ramfs ramdisk && printf ramfs > ramdisk/inside
            touch -d '2019-05-06 07:08:09.123456789' etc/hosts
            touch -a -d '2018-01-01 00:00:00.5' usr/bin/tool
            touch -h -d '2020-01-02 03:04:05.987654321' etc/hosts-absolute etc/dangling
            touch -d '2017-03-04 05:06:07' srv home/alice etc
            """);
        Certificates = TestCertificates.Write(_volume.Path("staging"), _volume.Root);
        Shell.Run($"touch -d '2016-01-01' {Shell.Quote(_volume.Path("staging"))}");
        SourceBlkid = Shell.Run($"blkid -p -o export {Shell.Quote(Path.Combine(_volume.Root, "volume.img"))} | grep -E '^(UUID|LABEL|TYPE)='");
        Record(_volume.MountPoint);

        Run = await AgentProcess.RunAsync(
        [
            "--cert", Certificates.UserCertificatePath,
            "--ec2cert", Certificates.Ec2CertificatePath,
            "--volume", _volume.MountPoint,
            "--size", "64",
            "--destination", _volume.Path("bundle-dest"),
            "--exclude", _volume.Path("staging"),
            "--include", _volume.Path("home/alice/.ssh/authorized_keys"),
            "--generate-fstab",
            "--prefix", Name,
            "--block-device-mapping", "ami=sda1,root=/dev/sda1",
        ]);
        if (Run.ExitCode != 0)
        {
            throw new InvalidOperationException($"The volume bundler failed ({Run.ExitCode}): {Run.StandardError}");
        }

        // The host's side: the private key signs the manifest; the existing unbundler checks and restores the image.
        Bundle = HostSide.Bundle(Run);
        ImagePath = await HostSide.SealAndUnbundleAsync(Bundle, Certificates, Path.Combine(_volume.Root, "restored"));
        Directory.CreateDirectory(ImageRoot);
        Shell.Run($"mount -o loop,ro {Shell.Quote(ImagePath)} {Shell.Quote(ImageRoot)}");
    }

    public Task DisposeAsync()
    {
        _volume.Dispose();
        return Task.CompletedTask;
    }

    internal string InImage(string relative) => Path.Combine(ImageRoot, relative);

    private void Record(string directory)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory))
        {
            var relative = Path.GetRelativePath(_volume.MountPoint, entry);
            var status = Libc.LStat(entry);
            Before[relative] = (status, Attributes(entry));
            if (status.IsDirectory)
            {
                Record(entry);
            }
        }
    }

    internal static Dictionary<string, string> Attributes(string path) =>
        Libc.ListAttributes(path).ToDictionary(name => name, name => Convert.ToHexString(Libc.GetAttribute(path, name) ?? []));
}
