using System.Globalization;
using System.Text.Json;
using ImagePipeline.Abstractions;

namespace ImagePipeline.VolumeBundler.Imaging;

/// <summary>
/// Makes the image file ec2-bundle-vol makes (sparse file, optional partition table, the volume's file system with its
/// label and UUID), or writes the same onto an existing device, and mounts it through a loop device. Each thing made is pushed on a cleanup stack as soon as it
/// exists; the mount and the loop device on <c>attached</c>, the file on <c>created</c>, so that the image can be
/// detached (to bundle it) and deleted (after bundling) separately.
/// </summary>
internal static class ImageFileBuilder
{
    private const int SectorSize = 512;
    private const string LinuxPartitionType = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";
    private const string BiosBootPartitionType = "21686148-6449-6E6F-744E-656564454649";

    public static async Task BuildAndMountAsync(ImageSpecification spec, CleanupStack created, CleanupStack attached, CancellationToken cancellationToken)
    {
        if (!spec.ExistingTarget)
        {
            using var file = new FileStream(spec.ImagePath, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            created.Push($"remove the image file {spec.ImagePath}", () => File.Delete(spec.ImagePath));
            file.SetLength(spec.SizeBytes);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var (offset, length) = await PartitionAsync(spec).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        var loopArguments = new List<string> { "--find", "--show" };
        if (spec.Partition != PartitionScheme.None)
        {
            loopArguments.AddRange(["--offset", offset.ToString(CultureInfo.InvariantCulture), "--sizelimit", length.ToString(CultureInfo.InvariantCulture)]);
        }

        loopArguments.Add(spec.ImagePath);
        var loopDevice = (await ExternalCommand.RunAsync("losetup", loopArguments).ConfigureAwait(false)).Trim();
        attached.Push($"detach the loop device {loopDevice}", () => ExternalCommand.RunAsync("losetup", ["--detach", loopDevice]));
        cancellationToken.ThrowIfCancellationRequested();

        await MakeFileSystemAsync(spec.FileSystem, loopDevice).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        Directory.CreateDirectory(spec.MountPoint);
        attached.Push($"remove the mount point {spec.MountPoint}", () => Directory.Delete(spec.MountPoint));
        var mountArguments = new List<string> { "-t", spec.FileSystem.Type };
        if (spec.FileSystem.Type == "xfs")
        {
            // The image has the volume's UUID, and XFS refuses to mount a second file system with a mounted one's UUID.
            mountArguments.AddRange(["-o", "nouuid"]);
        }

        mountArguments.AddRange([loopDevice, spec.MountPoint]);
        await ExternalCommand.RunAsync("mount", mountArguments).ConfigureAwait(false);
        attached.Push($"unmount {spec.MountPoint}", () => UnmountAsync(spec.MountPoint));
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Writes the partition table and returns where the root partition lies in bytes (the whole file without one).</summary>
    private static async Task<(long Offset, long Length)> PartitionAsync(ImageSpecification spec)
    {
        var script = spec.Partition switch
        {
            PartitionScheme.None => null,

            // As ec2-bundle-vol: one bootable partition from sector 63 to the end.
            PartitionScheme.Mbr => "label: dos\nstart=63, type=83, bootable\n",

            // As ec2-bundle-vol: a 1 MiB BIOS boot partition at 1 MiB for GRUB, the root partition (number 1) after it.
            _ => $"label: gpt\nstart=4096, type={LinuxPartitionType}, name=\"Linux\"\nstart=2048, size=2048, type={BiosBootPartitionType}, name=\"BIOS Boot Partition\"\n",
        };
        if (script is null)
        {
            return (0, spec.SizeBytes);
        }

        await ExternalCommand.RunAsync("sfdisk", ["--quiet", "--no-reread", "--no-tell-kernel", spec.ImagePath], script).ConfigureAwait(false);
        var json = await ExternalCommand.RunAsync("sfdisk", ["--json", spec.ImagePath]).ConfigureAwait(false);
        using var table = JsonDocument.Parse(json);
        var root = table.RootElement.GetProperty("partitiontable").GetProperty("partitions")[0];
        return (root.GetProperty("start").GetInt64() * SectorSize, root.GetProperty("size").GetInt64() * SectorSize);
    }

    private static Task MakeFileSystemAsync(FileSystemIdentity fileSystem, string device)
    {
        if (fileSystem.Type == "xfs")
        {
            var xfs = new List<string> { "-f", "-q" };
            AddIfSet(xfs, "-L", fileSystem.Label);
            AddIfSet(xfs, "-m", fileSystem.Uuid is null ? null : "uuid=" + fileSystem.Uuid);
            xfs.Add(device);
            return ExternalCommand.RunAsync("mkfs.xfs", xfs);
        }

        var ext = new List<string> { "-t", fileSystem.Type, "-F", "-q" };
        AddIfSet(ext, "-L", fileSystem.Label);
        AddIfSet(ext, "-U", fileSystem.Uuid);
        ext.Add(device);
        return ExternalCommand.RunAsync("mke2fs", ext);
    }

    private static void AddIfSet(List<string> arguments, string option, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            arguments.AddRange([option, value]);
        }
    }

    /// <summary>Unmounts, retrying while something (udev, a scanner) still holds the file system for a moment.</summary>
    private static async Task UnmountAsync(string mountPoint)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (exitCode, _, error) = await ExternalCommand.TryRunAsync("umount", [mountPoint]).ConfigureAwait(false);
            if (exitCode == 0)
            {
                return;
            }

            if (attempt == 5)
            {
                throw new PipelineException($"Unmounting the image at '{mountPoint}' failed: {error.Trim()}; unmount it with 'umount {mountPoint}' and detach its loop device with 'losetup -d'.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), TimeProvider.System, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
