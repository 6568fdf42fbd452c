using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ImagePipeline.Bundling.Images;

/// <summary>
/// lseek(2) with SEEK_DATA / SEEK_HOLE, which .NET does not expose, so holes need not be read; and SEEK_END, which is
/// how a block device's size is read. Callers read with positional reads, so moving the file offset disturbs nothing.
/// </summary>
internal static partial class LibcSeek
{
    // Linux values; other systems number these differently, so callers use this only on Linux.
    private const int SeekData = 3;
    private const int SeekHole = 4;
    private const int SeekEnd = 2;

    /// <summary>errno ENXIO: no data (or hole) at or after the offset.</summary>
    public const int NoSuchDeviceOrAddress = 6;

    public static long NextData(SafeFileHandle handle, long offset, out int errno) => Seek(handle, offset, SeekData, out errno);

    public static long NextHole(SafeFileHandle handle, long offset, out int errno) => Seek(handle, offset, SeekHole, out errno);

    /// <summary>The offset of the end: for a block device, its size in bytes.</summary>
    public static long End(SafeFileHandle handle, out int errno) => Seek(handle, 0, SeekEnd, out errno);

    private static long Seek(SafeFileHandle handle, long offset, int whence, out int errno)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            var result = lseek((int)handle.DangerousGetHandle(), offset, whence);
            errno = result < 0 ? Marshal.GetLastPInvokeError() : 0;
            return result;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial long lseek(int fd, long offset, int whence);
}
