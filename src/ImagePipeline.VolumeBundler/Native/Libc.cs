using System.Runtime.InteropServices;
using System.Text;

namespace ImagePipeline.VolumeBundler.Native;

/// <summary>
/// The libc calls .NET does not expose, for a copy that keeps what rsync -aHAXS keeps. statx and mknodat go through
/// syscall(2) so the program runs on any glibc (Amazon Linux 2 ships 2.26, which has neither wrapper).
/// Each method throws <see cref="NativeCallException"/> naming the call, the path and errno.
/// </summary>
internal static unsafe partial class Libc
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7FF;
    private const int Enodata = 61;
    private const int Erange = 34;

    public const int NoSpace = 28;
    public const int NotSupported = 95;
    public const int NotPermitted = 1;

    public static FileStatus LStat(string path)
    {
        var buffer = stackalloc byte[256];
        fixed (byte* pathBytes = PathBytes(path))
        {
            ThrowIfFailed(syscall(SyscallNumbers.Statx, AtFdCwd, (nint)pathBytes, AtSymlinkNoFollow, (nint)StatxBasicStats, (nint)buffer), "statx", path);
        }

        return new FileStatus(
            Mode: *(ushort*)(buffer + 28),
            Uid: *(uint*)(buffer + 20),
            Gid: *(uint*)(buffer + 24),
            Inode: *(ulong*)(buffer + 32),
            LinkCount: *(uint*)(buffer + 16),
            Size: *(long*)(buffer + 40),
            AllocatedBytes: *(long*)(buffer + 48) * 512,
            AccessTime: new Timestamp(*(long*)(buffer + 64), *(uint*)(buffer + 72)),
            ModificationTime: new Timestamp(*(long*)(buffer + 112), *(uint*)(buffer + 120)),
            SpecialMajor: *(uint*)(buffer + 128),
            SpecialMinor: *(uint*)(buffer + 132),
            DeviceMajor: *(uint*)(buffer + 136),
            DeviceMinor: *(uint*)(buffer + 140));
    }

    public static void LChown(string path, uint uid, uint gid) =>
        ThrowIfFailed(lchown(PathBytes(path), uid, gid), "lchown", path);

    public static void Chmod(string path, uint mode) =>
        ThrowIfFailed(chmod(PathBytes(path), mode), "chmod", path);

    /// <summary>Creates a device node or FIFO.</summary>
    public static void MkNod(string path, uint mode, uint major, uint minor)
    {
        // The mknodat system call takes the kernel's 32-bit device encoding (new_encode_dev), not glibc's dev_t.
        var device = (minor & 0xFF) | ((major & 0xFFF) << 8) | ((minor & ~0xFFu) << 12);
        fixed (byte* pathBytes = PathBytes(path))
        {
            ThrowIfFailed(syscall(SyscallNumbers.MkNodAt, AtFdCwd, (nint)pathBytes, (nint)mode, (nint)device, 0), "mknod", path);
        }
    }

    public static void Link(string existing, string newPath) =>
        ThrowIfFailed(link(PathBytes(existing), PathBytes(newPath)), "link", newPath);

    /// <summary>Sets access and modification times of the path itself, a symlink included.</summary>
    public static void SetTimes(string path, Timestamp access, Timestamp modification)
    {
        var times = stackalloc long[4] { access.Seconds, access.Nanoseconds, modification.Seconds, modification.Nanoseconds };
        ThrowIfFailed(utimensat(AtFdCwd, PathBytes(path), times, AtSymlinkNoFollow), "utimensat", path);
    }

    public static uint EffectiveUserId() => geteuid();

    /// <summary>The extended attribute names of the path itself (not a symlink's target).</summary>
    public static IReadOnlyList<string> ListAttributes(string path)
    {
        var pathBytes = PathBytes(path);
        while (true)
        {
            var size = llistxattr(pathBytes, null, 0);
            if (size < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == NotSupported)
                {
                    return [];
                }

                throw new NativeCallException("llistxattr", path, errno);
            }

            if (size == 0)
            {
                return [];
            }

            var buffer = new byte[size];
            fixed (byte* names = buffer)
            {
                var read = llistxattr(pathBytes, names, (nuint)buffer.Length);
                if (read < 0 && Marshal.GetLastPInvokeError() == Erange)
                {
                    continue;
                }

                if (read < 0)
                {
                    throw new NativeCallException("llistxattr", path, Marshal.GetLastPInvokeError());
                }

                return Encoding.UTF8.GetString(buffer, 0, (int)read).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            }
        }
    }

    /// <summary>The value of one extended attribute, or null when it went away meanwhile.</summary>
    public static byte[]? GetAttribute(string path, string name)
    {
        var pathBytes = PathBytes(path);
        var nameBytes = PathBytes(name);
        while (true)
        {
            var size = lgetxattr(pathBytes, nameBytes, null, 0);
            if (size < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                return errno == Enodata ? null : throw new NativeCallException("lgetxattr " + name, path, errno);
            }

            var buffer = new byte[size];
            fixed (byte* value = buffer)
            {
                var read = lgetxattr(pathBytes, nameBytes, value, (nuint)buffer.Length);
                if (read < 0 && Marshal.GetLastPInvokeError() == Erange)
                {
                    continue;
                }

                if (read < 0)
                {
                    throw new NativeCallException("lgetxattr " + name, path, Marshal.GetLastPInvokeError());
                }

                return buffer.AsSpan(0, (int)read).ToArray();
            }
        }
    }

    public static void SetAttribute(string path, string name, byte[] value)
    {
        fixed (byte* data = value)
        {
            ThrowIfFailed(lsetxattr(PathBytes(path), PathBytes(name), data, (nuint)value.Length, 0), "lsetxattr " + name, path);
        }
    }

    private static byte[] PathBytes(string path)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }

    private static void ThrowIfFailed(nint result, string call, string path)
    {
        if (result < 0)
        {
            throw new NativeCallException(call, path, Marshal.GetLastPInvokeError());
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint syscall(long number, nint a, nint b, nint c, nint d, nint e);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int lchown(byte[] path, uint owner, uint group);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int chmod(byte[] path, uint mode);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int link(byte[] existing, byte[] newPath);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int utimensat(int directory, byte[] path, long* times, int flags);

    [LibraryImport("libc")]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint llistxattr(byte[] path, byte* list, nuint size);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint lgetxattr(byte[] path, byte[] name, byte* value, nuint size);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int lsetxattr(byte[] path, byte[] name, byte* value, nuint size, int flags);
}
