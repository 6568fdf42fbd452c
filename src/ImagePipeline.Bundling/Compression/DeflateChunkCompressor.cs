using System.Buffers;
using System.IO.Compression;

namespace ImagePipeline.Bundling.Compression;

/// <summary>
/// Compresses one chunk of the stream into raw deflate at the level it is given, pigz-style: a non-final chunk ends with a sync
/// flush (byte-aligned, no end-of-stream marker) so the next chunk's independent deflate output can follow it and the
/// concatenation is one valid deflate stream; only the final chunk carries the end-of-stream block.
/// </summary>
internal static class DeflateChunkCompressor
{
    /// <summary>zlib's worst case for incompressible input, plus room for the flush marker and headers.</summary>
    public static int MaxCompressedLength(int inputLength) => inputLength + (inputLength >> 8) + 4096;

    public static CompressedChunk Compress(ReadOnlyMemory<byte> input, bool isFinal, ArrayPool<byte> pool, int compressionLevel)
    {
        var output = pool.Rent(MaxCompressedLength(input.Length));
        try
        {
            var sink = new MemoryStream(output, 0, output.Length, writable: true, publiclyVisible: false);
            int length;
            var deflate = new DeflateStream(sink, new ZLibCompressionOptions { CompressionLevel = compressionLevel }, leaveOpen: true);
            try
            {
                deflate.Write(input.Span);
                if (isFinal)
                {
                    deflate.Dispose();
                    length = (int)sink.Position;
                }
                else
                {
                    // DeflateStream.Flush emits Z_SYNC_FLUSH. What Dispose appends afterwards (a final empty block)
                    // lands after 'length' and is ignored.
                    deflate.Flush();
                    length = (int)sink.Position;
                }
            }
            finally
            {
                deflate.Dispose();
            }

            return new CompressedChunk(output, length);
        }
        catch
        {
            pool.Return(output);
            throw;
        }
    }
}
