using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ImagePipeline.Abstractions;

/// <summary>
/// Tells what a path or an open file is with statx(2), without opening the path: opening a FIFO blocks until a writer
/// comes, and a character device or a socket streams forever, so a reader must know before it opens one.
/// </summary>
public static partial class FileKinds
{
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const uint TypeMask = 0x1; // STATX_TYPE
    private const int ModeOffset = 28; // stx_mode in struct statx, the same on every Linux architecture
    private const int FileTypeBits = 0xF000; // S_IFMT
    private const int EmptyPath = 0x1000; // AT_EMPTY_PATH: the descriptor itself

    /// <summary>What <paramref name="path"/> names, symbolic links followed.</summary>
    public static FileKind Of(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Unknown : FileKind.Missing;
        }

        var buffer = new byte[256];
        return statx(CurrentDirectory, path, 0, TypeMask, buffer) == 0 ? KindOf(buffer) : FileKind.Missing;
    }

    /// <summary>What an open file is (statx on the descriptor itself, so a path renamed meanwhile cannot mislead).</summary>
    public static FileKind Of(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (!OperatingSystem.IsLinux())
        {
            return FileKind.Unknown;
        }

        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            var buffer = new byte[256];
            return statxDescriptor((int)handle.DangerousGetHandle(), string.Empty, EmptyPath, TypeMask, buffer) == 0 ? KindOf(buffer) : FileKind.Unknown;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static FileKind KindOf(byte[] statxBuffer) => (BitConverter.ToUInt16(statxBuffer, ModeOffset) & FileTypeBits) switch
    {
        0x8000 => FileKind.RegularFile,
        0x4000 => FileKind.Directory,
        0x6000 => FileKind.BlockDevice,
        0x2000 => FileKind.CharacterDevice,
        0x1000 => FileKind.Fifo,
        0xC000 => FileKind.Socket,
        _ => FileKind.Unknown,
    };

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int directory, string path, int flags, uint mask, [Out] byte[] buffer);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statxDescriptor(int descriptor, string path, int flags, uint mask, [Out] byte[] buffer);
}
