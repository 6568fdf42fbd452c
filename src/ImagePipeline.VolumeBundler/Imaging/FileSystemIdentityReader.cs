using ImagePipeline.VolumeBundler.Mounts;

namespace ImagePipeline.VolumeBundler.Imaging;

/// <summary>
/// Reads type, label and UUID of a mounted file system with blkid, as ec2-bundle-vol does, but probing the device
/// (--probe) rather than trusting blkid's cache, which keeps a reused loop device's old file system.
/// </summary>
internal static class FileSystemIdentityReader
{
    public static async Task<FileSystemIdentity> ReadAsync(MountEntry mount, Action<string> warn)
    {
        var device = BlockDevice(mount);
        if (device is null)
        {
            warn($"The volume's source '{mount.Source}' is not a block device; the image gets a new label and UUID.");
            return new FileSystemIdentity(mount.FileSystemType, null, null);
        }

        var (exitCode, output, _) = await ExternalCommand.TryRunAsync("blkid", ["--probe", "-o", "export", device]).ConfigureAwait(false);
        if (exitCode != 0)
        {
            warn($"blkid cannot read '{device}' (exit {exitCode}); the image gets a new label and UUID.");
            return new FileSystemIdentity(mount.FileSystemType, null, null);
        }

        var values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0], StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => Unquote(group.First()[1]), StringComparer.Ordinal);
        return new FileSystemIdentity(
            values.GetValueOrDefault("TYPE") is { Length: > 0 } type ? type : mount.FileSystemType,
            values.GetValueOrDefault("LABEL") is { Length: > 0 } label ? label : null,
            values.GetValueOrDefault("UUID") is { Length: > 0 } uuid ? uuid : null);
    }

    private static string? BlockDevice(MountEntry mount)
    {
        if (mount.Source.StartsWith("/dev/", StringComparison.Ordinal) && File.Exists(mount.Source))
        {
            return mount.Source;
        }

        // /dev/root and friends: the device number names the real node.
        var byNumber = "/dev/block/" + mount.DeviceNumber;
        return File.Exists(byNumber) ? byNumber : null;
    }

    /// <summary>blkid -o export escapes spaces and shell characters with a backslash.</summary>
    private static string Unquote(string value) => value.Replace("\\", string.Empty, StringComparison.Ordinal);
}
