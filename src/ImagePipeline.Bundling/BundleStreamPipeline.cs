using System.Security.Cryptography;
using ImagePipeline.Bundling.Compression;
using ImagePipeline.Bundling.Encryption;
using ImagePipeline.Bundling.Images;
using ImagePipeline.Bundling.Tar;

namespace ImagePipeline.Bundling;

/// <summary>
/// The one streaming pass of bundling: tar (sparse) → SHA-1 of the tar stream → gzip (parallel chunks, one member) →
/// AES-128-CBC → the part writer. Shared by the bundler that signs (<see cref="ImageBundler"/>) and the one that
/// leaves signing to the machine holding the key (<see cref="KeylessImageBundler"/>), so both write the same bytes.
/// </summary>
internal static class BundleStreamPipeline
{
    /// <summary>Streams the image into <paramref name="partWriter"/>; returns the tar stream's SHA-1 as lowercase hex.</summary>
    public static async Task<string> WriteAsync(
        SourceImage image,
        string name,
        BundleKeyMaterial keyMaterial,
        Stream partWriter,
        int parallelism,
        int compressionLevel,
        IProgress<long>? progress,
        CancellationToken cancellationToken)
    {
        using var aes = keyMaterial.CreateCipher();
        using var encryptor = aes.CreateEncryptor();
        var encrypted = new CryptoStream(partWriter, encryptor, CryptoStreamMode.Write, leaveOpen: true);
        await using (encrypted.ConfigureAwait(false))
        {
            using var tarHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
            using (var gzip = new ParallelGzipWriter(encrypted, parallelism, cancellationToken, compressionLevel: compressionLevel))
            {
                // The reading stage gets its own thread, like the compressors and the writer inside gzip.
                await Task.Factory.StartNew(
                    () =>
                    {
                        ImageTarStreamWriter.Write(
                            image.Handle,
                            name,
                            image.Size,
                            image.Regions,
                            image.Mode,
                            image.Modified,
                            data =>
                            {
                                tarHash.AppendData(data);
                                gzip.Write(data);
                            },
                            progress,
                            cancellationToken);
                        gzip.Complete();
                    },
                    cancellationToken,
                    TaskCreationOptions.LongRunning,
                    TaskScheduler.Default).ConfigureAwait(false);
            }

            await encrypted.FlushFinalBlockAsync(cancellationToken).ConfigureAwait(false);
            return Convert.ToHexStringLower(tarHash.GetHashAndReset());
        }
    }

    /// <summary>
    /// An upper bound of the bundled size: the tar stream (headers, data, trailer) grown by deflate's worst case per
    /// chunk, gzip's framing and the last AES block.
    /// </summary>
    public static long MaximumBundledSize(IReadOnlyList<DataRegion> regions)
    {
        var dataBytes = regions.Sum(region => region.Length);
        var headerBlocks = 2 + ((regions.Count + 21) / 21);
        var tarBytes = (headerBlocks * (long)GnuTarHeaderWriter.BlockSize)
            + dataBytes + GnuTarHeaderWriter.BlockSize
            + (2L * GnuTarHeaderWriter.BlockSize) + GnuTarHeaderWriter.RecordSize;
        var chunks = (tarBytes / ParallelGzipWriter.DefaultChunkSize) + 1;
        var gzipBytes = (chunks * DeflateChunkCompressor.MaxCompressedLength(ParallelGzipWriter.DefaultChunkSize)) + 64;
        return gzipBytes + 16;
    }
}
