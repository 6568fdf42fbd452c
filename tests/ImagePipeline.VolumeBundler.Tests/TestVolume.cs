namespace ImagePipeline.VolumeBundler.Tests;

/// <summary>
/// A scratch folder holding a small ext4 file system, loop-mounted so that it is a real mount point to bundle. Disposing
/// unmounts it with everything mounted below it and removes the folder.
/// </summary>
internal sealed class TestVolume : IDisposable
{
    private TestVolume(string root)
    {
        Root = root;
        MountPoint = System.IO.Path.Combine(root, "volume");
    }

    /// <summary>The scratch folder (outside the volume): the "host" side of a test.</summary>
    public string Root { get; }

    public string MountPoint { get; }

    public static TestVolume Create(string label = "test-root", int megabytes = 64)
    {
        var volume = new TestVolume(Directory.CreateTempSubdirectory("imagepipeline-volume-").FullName);
        Shell.Run($"""
            cd {Shell.Quote(volume.Root)}
            truncate -s {megabytes}M volume.img
            mke2fs -q -t ext4 -F -L {label} volume.img
            mkdir volume
            mount -o loop volume.img volume
            """);
        return volume;
    }

    public string Path(string relative) => System.IO.Path.Combine(MountPoint, relative);

    /// <summary>The mounts and loop devices that mention this test's folder: empty when a run left nothing behind.</summary>
    public string LeftoverMountsAndLoops(string except) =>
        string.Join('\n', File.ReadAllLines("/proc/self/mountinfo").Concat(Shell.Run("losetup --list --noheadings --output NAME,BACK-FILE").Split('\n'))
            .Where(line => line.Contains(Root, StringComparison.Ordinal) && !line.Contains(except, StringComparison.Ordinal)));

    public void Dispose()
    {
        var root = Shell.Quote(Root);
        Shell.TryRun("for m in $(grep -F " + root + " /proc/self/mountinfo | awk '{print $5}' | sort -r); do umount -l \"$m\" || true; done\n"
            + "losetup --list --noheadings --output NAME,BACK-FILE | grep -F " + root + " | awk '{print $1}' | xargs -r -n1 losetup -d || true\n"
            + "rm -rf " + root);
    }
}
