using System.Diagnostics;

namespace ImagePipeline.Strategies.Ebs.Tests;

/// <summary>
/// What the loopback "instance" images instead of the test machine's /: a small ext4 file system, loop-mounted in a
/// folder of the test. Disposing unmounts it, detaches its loop device and removes the folder.
/// </summary>
public sealed class MountedTestVolume : IDisposable
{
    public MountedTestVolume()
    {
        Root = Directory.CreateTempSubdirectory("imagepipeline-ebs-volume-").FullName;
        MountPoint = Path.Combine(Root, "mnt");
        Run("sh", "-c", $"cd {Quote(Root)} && truncate -s 64M volume.img && mke2fs -q -t ext4 -F -L ebs-root volume.img && mkdir mnt && mount -o loop volume.img mnt");
    }

    public string Root { get; }

    public string MountPoint { get; }

    /// <summary>Unmounts the file system, leaving an empty folder that is not a mount point.</summary>
    public void Unmount() => Run("umount", MountPoint);

    public void Mount() => Run("mount", "-o", "loop", Path.Combine(Root, "volume.img"), MountPoint);

    /// <summary>Loop devices whose backing file is in this test's folder or the cloud's <paramref name="cloudDirectory"/>, other than the volume's own mount.</summary>
    public string LeftoverLoopDevices(string cloudDirectory) =>
        string.Join('\n', Run("losetup", "--list", "--noheadings", "--output", "NAME,BACK-FILE").Split('\n')
            .Where(line => line.Contains(cloudDirectory, StringComparison.Ordinal) || (line.Contains(Root, StringComparison.Ordinal) && !line.Contains("volume.img", StringComparison.Ordinal))));

    public void Dispose() =>
        Run("sh", "-c", $"umount -l {Quote(MountPoint)} 2>/dev/null; rm -rf {Quote(Root)}");

    /// <summary>Runs a program and returns its standard output.</summary>
    public static string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return output.Result;
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
