using Microsoft.Win32.SafeHandles;

namespace ImagePipeline.Bundling.Images;

/// <summary>
/// The size of an image: a regular file's length, or a block device's capacity. A block device's <c>st_size</c>, which
/// <see cref="RandomAccess.GetLength"/> returns, is 0, so a device is sized by seeking to its end, as
/// <c>blockdev --getsize64</c> and <c>dd</c> do.
/// </summary>
internal static class ImageSize
{
    public static long Of(SafeFileHandle image)
    {
        var length = RandomAccess.GetLength(image);
        if (length != 0 || !OperatingSystem.IsLinux() || !ImageFileKind.IsBlockDevice(image))
        {
            return length;
        }

        var end = LibcSeek.End(image, out var errno);
        return end >= 0
            ? end
            : throw new IOException($"The size of the block device could not be read (errno {errno}).");
    }
}
