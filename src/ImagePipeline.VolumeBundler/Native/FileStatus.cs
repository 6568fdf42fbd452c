namespace ImagePipeline.VolumeBundler.Native;

/// <summary>What <c>statx</c> says about one path, its symlink not followed.</summary>
internal readonly record struct FileStatus(
    uint Mode,
    uint Uid,
    uint Gid,
    ulong Inode,
    uint LinkCount,
    long Size,
    long AllocatedBytes,
    Timestamp AccessTime,
    Timestamp ModificationTime,
    uint DeviceMajor,
    uint DeviceMinor,
    uint SpecialMajor,
    uint SpecialMinor)
{
    public const uint TypeMask = 0xF000;
    public const uint Directory = 0x4000;
    public const uint RegularFile = 0x8000;
    public const uint SymbolicLink = 0xA000;
    public const uint CharacterDevice = 0x2000;
    public const uint BlockDevice = 0x6000;
    public const uint Fifo = 0x1000;
    public const uint Socket = 0xC000;

    public uint Type => Mode & TypeMask;

    /// <summary>Permission bits with setuid, setgid and sticky.</summary>
    public uint Permissions => Mode & 0xFFF;

    public bool IsDirectory => Type == Directory;

    /// <summary>The file's identity on this machine: file system and inode.</summary>
    public (uint Major, uint Minor, ulong Inode) Identity => (DeviceMajor, DeviceMinor, Inode);
}

/// <summary>Seconds and nanoseconds since the epoch, as the kernel keeps them.</summary>
internal readonly record struct Timestamp(long Seconds, uint Nanoseconds);
