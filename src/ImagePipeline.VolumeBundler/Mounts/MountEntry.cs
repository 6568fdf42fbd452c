namespace ImagePipeline.VolumeBundler.Mounts;

/// <summary>
/// One line of /proc/self/mountinfo: where a file system is mounted, its type, its source and its device number
/// ("major:minor", which names the block device under /dev/block even when the source is a name like /dev/root).
/// </summary>
internal sealed record MountEntry(string MountPoint, string FileSystemType, string Source, string DeviceNumber);
