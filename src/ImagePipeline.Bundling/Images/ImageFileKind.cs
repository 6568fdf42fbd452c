using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ImagePipeline.Bundling.Images;

/// <summary>
/// What a path names, found with statx(2) without opening it: opening a FIFO blocks until a writer comes, and a
/// character device or socket streams forever, so only regular files and block devices may be read as images.
/// </summary>
internal static partial class ImageFileKind
{
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const uint TypeMask = 0x1; // STATX_TYPE
    private const int ModeOffset = 28; // stx_mode in struct statx, the same on every Linux architecture
    private const int FileTypeBits = 0xF000; // S_IFMT
    private const int BlockDevice = 0x6000; // S_IFBLK
    private const int EmptyPath = 0x1000; // AT_EMPTY_PATH: the descriptor itself

    /// <summary>Returns why <paramref name="path"/> (symbolic links followed) cannot be an image, or null when it can or cannot be told.</summary>
    public static string? ProblemWith(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var buffer = new byte[256];
        if (statx(CurrentDirectory, path, 0, TypeMask, buffer) != 0)
        {
            // Missing: the caller's existence check says so. A link to nothing would pass that check, so it is named here.
            return new FileInfo(path).LinkTarget is { } target
                ? $"The image '{path}' is a symbolic link to '{target}', which does not exist; pass the path of the raw disk image to bundle."
                : null;
        }

        var kind = (BitConverter.ToUInt16(buffer, ModeOffset) & FileTypeBits) switch
        {
            0x8000 or BlockDevice => null, // regular file, block device
            0x4000 => "a directory",
            0x1000 => "a FIFO (named pipe)",
            0x2000 => "a character device",
            0xC000 => "a socket",
            _ => "not a regular file",
        };
        return kind is null
            ? null
            : $"The image '{path}' is {kind}; pass a regular file or a block device holding the raw disk image.";
    }

    /// <summary>Whether an open file is a block device (statx on the descriptor itself, so a renamed path cannot mislead).</summary>
    public static bool IsBlockDevice(SafeFileHandle handle)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            var buffer = new byte[256];
            return statxDescriptor((int)handle.DangerousGetHandle(), string.Empty, EmptyPath, TypeMask, buffer) == 0
                && (BitConverter.ToUInt16(buffer, ModeOffset) & FileTypeBits) == BlockDevice;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int directory, string path, int flags, uint mask, [Out] byte[] buffer);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statxDescriptor(int descriptor, string path, int flags, uint mask, [Out] byte[] buffer);
}
