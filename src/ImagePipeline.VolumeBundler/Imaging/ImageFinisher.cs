using ImagePipeline.VolumeBundler.Native;

namespace ImagePipeline.VolumeBundler.Imaging;

/// <summary>
/// What ec2-bundle-vol adds to the copied tree: the always-excluded directories (empty), the special devices in /dev
/// with the X0R symlink, and /etc/fstab when --fstab or --generate-fstab is given (the old one kept as fstab.old).
/// </summary>
internal static class ImageFinisher
{
    public static readonly IReadOnlyList<string> AlwaysExcluded = ["dev", "media", "mnt", "proc", "sys"];

    private static readonly (string Name, uint Mode, uint Major, uint Minor)[] SpecialDevices =
    [
        ("null", 0x2000 | 0b110_110_110, 1, 3),
        ("zero", 0x2000 | 0b110_110_110, 1, 5),
        ("tty", 0x2000 | 0b110_110_110, 5, 0),
        ("console", 0x2000 | 0b110_000_000, 5, 1),
    ];

    public static void AddDirectoriesAndDevices(string imageRoot)
    {
        foreach (var directory in AlwaysExcluded)
        {
            var path = Path.Combine(imageRoot, directory);
            if (!Directory.Exists(path))
            {
                Directory.CreateDirectory(path);
                Libc.Chmod(path, 0b111_101_101);
            }
        }

        var dev = Path.Combine(imageRoot, "dev");
        foreach (var (name, mode, major, minor) in SpecialDevices)
        {
            var path = Path.Combine(dev, name);
            Libc.MkNod(path, mode, major, minor);
            Libc.Chmod(path, mode & 0xFFF);
        }

        File.CreateSymbolicLink(Path.Combine(dev, "X0R"), "null");
    }

    /// <summary>Replaces /etc/fstab with <paramref name="content"/> (as given: a --fstab file byte for byte), keeping an existing one as fstab.old.</summary>
    public static void ReplaceFstab(string imageRoot, byte[] content)
    {
        var etc = Path.Combine(imageRoot, "etc");
        var fstab = Path.Combine(etc, "fstab");
        if (!Directory.Exists(etc))
        {
            Directory.CreateDirectory(etc);
            Libc.Chmod(etc, 0b111_101_101);
        }

        if (File.Exists(fstab))
        {
            File.Copy(fstab, fstab + ".old", overwrite: true);
        }

        File.WriteAllBytes(fstab, content);
        Libc.Chmod(fstab, 0b110_100_100);
    }

    /// <summary>
    /// The fstab --generate-fstab writes: the root file system by UUID (or label) so that it mounts whatever the device
    /// is called on the new instance, and the kernel's pseudo file systems.
    /// </summary>
    public static string GeneratedFstab(FileSystemIdentity fileSystem, PartitionScheme partition)
    {
        var root = fileSystem.Uuid is not null ? "UUID=" + fileSystem.Uuid
            : fileSystem.Label is not null ? "LABEL=" + fileSystem.Label
            : partition == PartitionScheme.None ? "/dev/sda1" : "/dev/xvda1";
        return "# Written by ImagePipeline's volume bundler (--generate-fstab)\n"
            + $"{root}\t/\t{fileSystem.Type}\tdefaults\t1\t1\n"
            + "none\t/dev/pts\tdevpts\tgid=5,mode=620\t0\t0\n"
            + "none\t/dev/shm\ttmpfs\tdefaults\t0\t0\n"
            + "none\t/proc\tproc\tdefaults\t0\t0\n"
            + "none\t/sys\tsysfs\tdefaults\t0\t0\n";
    }
}
