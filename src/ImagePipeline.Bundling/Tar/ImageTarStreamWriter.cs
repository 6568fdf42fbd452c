using ImagePipeline.Bundling.Images;
using Microsoft.Win32.SafeHandles;

namespace ImagePipeline.Bundling.Tar;

/// <summary>
/// Produces the tar stream of a bundle: one entry holding the image (sparse when it has holes), its data read region by
/// region so that holes are never read, then the end-of-archive blocks padded to a whole record.
/// Synchronous on purpose: it is the first stage of the bundling pipeline and runs on its own thread, and file reads
/// on Linux are synchronous underneath anyway.
/// </summary>
internal static class ImageTarStreamWriter
{
    private const int ReadSize = 1024 * 1024;

    /// <summary>Writes the whole tar stream to <paramref name="sink"/>; reports image bytes processed, holes included.</summary>
    public static long Write(
        SafeFileHandle image,
        string entryName,
        long imageSize,
        IReadOnlyList<DataRegion> regions,
        int mode,
        DateTimeOffset modified,
        Action<ReadOnlySpan<byte>> sink,
        IProgress<long>? progress,
        CancellationToken cancellationToken)
    {
        var isSparse = !(imageSize == 0 || (regions.Count == 1 && regions[0].Offset == 0 && regions[0].Length == imageSize));
        var header = GnuTarHeaderWriter.Build(entryName, imageSize, isSparse ? regions : null, mode, modified);
        sink(header);
        long written = header.Length;

        var buffer = new byte[ReadSize];
        long stored = 0;
        foreach (var region in regions)
        {
            var offset = region.Offset;
            while (offset < region.End)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var want = (int)Math.Min(buffer.Length, region.End - offset);
                var read = RandomAccess.Read(image, buffer.AsSpan(0, want), offset);
                if (read == 0)
                {
                    throw new IOException("The image became shorter while it was being bundled; do not change the image during bundling.");
                }

                sink(buffer.AsSpan(0, read));
                offset += read;
                stored += read;
                progress?.Report(offset);
            }
        }

        written += stored;
        var trailerLength = GnuTarHeaderWriter.PaddingAfter(stored) + (2 * GnuTarHeaderWriter.BlockSize);
        var recordPadding = (int)((GnuTarHeaderWriter.RecordSize - ((written + trailerLength) % GnuTarHeaderWriter.RecordSize)) % GnuTarHeaderWriter.RecordSize);
        sink(new byte[trailerLength + recordPadding]);
        written += trailerLength + recordPadding;
        progress?.Report(imageSize);
        return written;
    }
}
