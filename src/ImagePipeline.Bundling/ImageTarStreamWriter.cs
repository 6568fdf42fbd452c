using Microsoft.Win32.SafeHandles;

namespace ImagePipeline.Bundling;

/// <summary>
/// Produces the tar stream of a bundle: one entry holding the image (sparse when it has holes), its data read region by
/// region so that holes are never read, then the end-of-archive blocks padded to a whole record.
/// </summary>
internal static class ImageTarStreamWriter
{
    private const int ReadSize = 1024 * 1024;

    /// <summary>Writes the whole tar stream to <paramref name="sink"/>; reports image bytes processed, holes included.</summary>
    public static async Task<long> WriteAsync(
        SafeFileHandle image,
        string entryName,
        long imageSize,
        IReadOnlyList<DataRegion> regions,
        int mode,
        DateTimeOffset modified,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> sink,
        IProgress<long>? progress,
        CancellationToken cancellationToken)
    {
        var isSparse = !(imageSize == 0 || (regions.Count == 1 && regions[0].Offset == 0 && regions[0].Length == imageSize));
        var header = GnuTarHeaderWriter.Build(entryName, imageSize, isSparse ? regions : null, mode, modified);
        await sink(header, cancellationToken).ConfigureAwait(false);
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
                // A synchronous positional read: file reads are synchronous underneath on Linux, and the async form
                // would cost a thread-pool hop per read, which on a busy machine means waiting to be scheduled again.
                var read = RandomAccess.Read(image, buffer.AsSpan(0, want), offset);
                if (read == 0)
                {
                    throw new IOException("The image became shorter while it was being bundled; do not change the image during bundling.");
                }

                await sink(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                offset += read;
                stored += read;
                progress?.Report(offset);
            }
        }

        written += stored;
        var trailerLength = GnuTarHeaderWriter.PaddingAfter(stored) + (2 * GnuTarHeaderWriter.BlockSize);
        var recordPadding = (int)((GnuTarHeaderWriter.RecordSize - ((written + trailerLength) % GnuTarHeaderWriter.RecordSize)) % GnuTarHeaderWriter.RecordSize);
        await sink(new byte[trailerLength + recordPadding], cancellationToken).ConfigureAwait(false);
        written += trailerLength + recordPadding;
        progress?.Report(imageSize);
        return written;
    }
}
