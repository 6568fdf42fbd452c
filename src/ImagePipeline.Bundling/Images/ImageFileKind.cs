using ImagePipeline.Abstractions;
using Microsoft.Win32.SafeHandles;

namespace ImagePipeline.Bundling.Images;

/// <summary>
/// Which paths may be read as images: regular files and block devices (<see cref="FileKinds"/> tells them without
/// opening them: opening a FIFO blocks until a writer comes, and a character device or socket streams forever).
/// </summary>
internal static class ImageFileKind
{
    /// <summary>Returns why <paramref name="path"/> (symbolic links followed) cannot be an image, or null when it can or cannot be told.</summary>
    public static string? ProblemWith(string path)
    {
        var kind = FileKinds.Of(path);
        if (kind == FileKind.Missing)
        {
            // The caller's existence check says so. A link to nothing would pass that check, so it is named here.
            return new FileInfo(path).LinkTarget is { } target
                ? $"The image '{path}' is a symbolic link to '{target}', which does not exist; pass the path of the raw disk image to bundle."
                : null;
        }

        var what = kind switch
        {
            FileKind.RegularFile or FileKind.BlockDevice or FileKind.Unknown => null,
            FileKind.Directory => "a directory",
            FileKind.Fifo => "a FIFO (named pipe)",
            FileKind.CharacterDevice => "a character device",
            _ => "a socket",
        };
        return what is null ? null : $"The image '{path}' is {what}; pass a regular file or a block device holding the raw disk image.";
    }

    /// <summary>Whether an open file is a block device (asked of the descriptor itself, so a renamed path cannot mislead).</summary>
    public static bool IsBlockDevice(SafeFileHandle handle) => FileKinds.Of(handle) == FileKind.BlockDevice;
}
