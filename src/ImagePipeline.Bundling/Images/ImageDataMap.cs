using Microsoft.Win32.SafeHandles;

namespace ImagePipeline.Bundling.Images;

/// <summary>
/// Finds where a (possibly sparse) image holds data, so that holes are neither read, nor compressed, nor stored.
/// Uses SEEK_DATA/SEEK_HOLE where the file system supports it; otherwise scans for all-zero blocks.
/// </summary>
internal static class ImageDataMap
{
    /// <summary>The granularity of the zero-block fallback; a file system block.</summary>
    public const int ZeroScanBlockSize = 4096;

    public static async Task<IReadOnlyList<DataRegion>> FindDataRegionsAsync(SafeFileHandle image, long size, CancellationToken cancellationToken)
    {
        if (size == 0)
        {
            return [];
        }

        if (OperatingSystem.IsLinux() && TryFindWithSeek(image, size, cancellationToken) is { } regions)
        {
            return regions;
        }

        return await FindByScanningForZerosAsync(image, size, cancellationToken).ConfigureAwait(false);
    }

    private static List<DataRegion>? TryFindWithSeek(SafeFileHandle image, long size, CancellationToken cancellationToken)
    {
        var regions = new List<DataRegion>();
        long position = 0;
        while (position < size)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var dataStart = LibcSeek.NextData(image, position, out var errno);
            if (dataStart < 0)
            {
                if (errno == LibcSeek.NoSuchDeviceOrAddress)
                {
                    break; // only a hole remains
                }

                return null; // SEEK_DATA not supported here
            }

            if (dataStart >= size)
            {
                break;
            }

            var holeStart = LibcSeek.NextHole(image, dataStart, out errno);
            if (holeStart < 0)
            {
                return null;
            }

            holeStart = Math.Min(holeStart, size);
            regions.Add(new DataRegion(dataStart, holeStart - dataStart));
            position = holeStart;
        }

        return regions;
    }

    internal static async Task<IReadOnlyList<DataRegion>> FindByScanningForZerosAsync(SafeFileHandle image, long size, CancellationToken cancellationToken)
    {
        var regions = new List<DataRegion>();
        var buffer = new byte[256 * ZeroScanBlockSize];
        long regionStart = -1;
        long offset = 0;
        while (offset < size)
        {
            var read = await RandomAccess.ReadAsync(image, buffer, offset, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            for (var blockStart = 0; blockStart < read; blockStart += ZeroScanBlockSize)
            {
                var block = buffer.AsSpan(blockStart, Math.Min(ZeroScanBlockSize, read - blockStart));
                var isData = block.ContainsAnyExcept((byte)0);
                var blockOffset = offset + blockStart;
                if (isData && regionStart < 0)
                {
                    regionStart = blockOffset;
                }
                else if (!isData && regionStart >= 0)
                {
                    regions.Add(new DataRegion(regionStart, blockOffset - regionStart));
                    regionStart = -1;
                }
            }

            offset += read;
        }

        if (regionStart >= 0)
        {
            regions.Add(new DataRegion(regionStart, offset - regionStart));
        }

        return regions;
    }
}
