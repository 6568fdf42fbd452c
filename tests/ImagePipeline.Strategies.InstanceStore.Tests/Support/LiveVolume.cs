using System.Diagnostics;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>
/// The root volume of the loopback "instance": a small ext4 file system, loop-mounted (so it is a real mount point)
/// in a folder of the test, holding what ec2-bundle-vol must keep or leave out. Disposing unmounts everything under
/// the folder, detaches its loop devices and removes it.
/// </summary>
public sealed class LiveVolume : IDisposable
{
    private LiveVolume(string root)
    {
        Root = root;
        MountPoint = System.IO.Path.Combine(root, "volume");
    }

    public string Root { get; }

    public string MountPoint { get; }

    public string Path(string relative) => System.IO.Path.Combine(MountPoint, relative);

    /// <summary>An empty volume of <paramref name="megabytes"/> MB labelled <paramref name="label"/>.</summary>
    public static LiveVolume CreateEmpty(string parent, string label = "ip-live-root", int megabytes = 64)
    {
        var volume = new LiveVolume(Directory.CreateDirectory(System.IO.Path.Combine(parent, "live-" + Guid.NewGuid().ToString("N")[..8])).FullName);
        Run($"""
            cd {Quote(volume.Root)}
            truncate -s {megabytes}M volume.img
            mke2fs -q -t ext4 -F -L {label} volume.img
            mkdir volume
            mount -o loop volume.img volume
            """);
        return volume;
    }

    /// <summary>A volume with owners, modes, links, a sparse file, xattrs, an ACL, devices and files the security filter leaves out.</summary>
    public static LiveVolume CreatePrepared(string parent)
    {
        var volume = CreateEmpty(parent);
        Run($"""
            cd {Quote(volume.MountPoint)}
            mkdir -p etc home/alice/.ssh usr/bin srv data mnt/ephemeral proc dev sys media
            printf 'hosts\n' > etc/hosts
            printf 'UUID=old / ext4 defaults 0 1\n' > etc/fstab
            head -c 300000 /dev/urandom > usr/bin/tool && chmod 4755 usr/bin/tool
            printf 'alice\n' > home/alice/notes && chown 1000:1000 home/alice home/alice/notes && chmod 640 home/alice/notes
            ln -s /etc/hosts etc/hosts-absolute
            ln -s ../missing/target etc/dangling
            printf 'linked\n' > srv/original && ln srv/original srv/hardlink
            truncate -s 20M data/sparse
            printf A | dd of=data/sparse bs=1 seek=5000000 conv=notrunc status=none
            setfattr -n user.origin -v imagepipeline etc/hosts
            setfacl -m u:1234:rw home/alice/notes
            mknod srv/full c 1 7 && chmod 620 srv/full
            mkfifo srv/pipe
            printf key > home/alice/.ssh/authorized_keys
            printf history > home/alice/.bash_history
            printf secret > etc/server.pem
            printf eph > mnt/ephemeral/file
            mkdir scratch && mount -t tmpfs -o size=1m tmpfs scratch && printf tmpfs > scratch/inside
            touch -d '2019-05-06 07:08:09.123456789' etc/hosts
            """);
        return volume;
    }

    /// <summary>LABEL, UUID and TYPE of an ext file system image (blkid), for comparing the bundle's with the volume's.</summary>
    public static string Identity(string image) => Run($"blkid -p -o export {Quote(image)} | grep -E '^(UUID|LABEL|TYPE)=' | sort");

    public string Identity() => Identity(System.IO.Path.Combine(Root, "volume.img"));

    /// <summary>Mounts and loop devices that still mention this volume's folder, other than its own: empty when a run left none.</summary>
    public string LeftoverMountsAndLoops() =>
        string.Join('\n', File.ReadAllLines("/proc/self/mountinfo").Concat(Run("losetup --list --noheadings --output NAME,BACK-FILE").Split('\n'))
            .Where(line => line.Contains(Root, StringComparison.Ordinal) && !line.Contains("volume.img", StringComparison.Ordinal) && !line.Contains(MountPoint + " ", StringComparison.Ordinal) && !line.Contains("/scratch", StringComparison.Ordinal)));

    public void Dispose()
    {
        var root = Quote(Root);
        TryRun("for m in $(grep -F " + root + " /proc/self/mountinfo | awk '{print $5}' | sort -r); do umount -l \"$m\" || true; done\n"
            + "losetup --list --noheadings --output NAME,BACK-FILE | grep -F " + root + " | awk '{print $1}' | xargs -r -n1 losetup -d || true\n"
            + "rm -rf " + root);
    }

    public static string Run(string script)
    {
        var (exitCode, output, error) = TryRun(script);
        return exitCode == 0 ? output : throw new InvalidOperationException($"'{script}' failed ({exitCode}): {error}{output}");
    }

    public static (int ExitCode, string Output, string Error) TryRun(string script)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-euo", "pipefail", "-c", script })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }

    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
