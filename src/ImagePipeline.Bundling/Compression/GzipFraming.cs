using System.Buffers.Binary;

namespace ImagePipeline.Bundling.Compression;

/// <summary>The gzip member header and trailer (RFC 1952) around a raw deflate stream that is built in pieces.</summary>
internal static class GzipFraming
{
    /// <summary>Magic, deflate, no flags, no mtime, XFL=0 (neither fastest nor maximum: the default level is 7), OS=3 (Unix).</summary>
    public static ReadOnlySpan<byte> Header => [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03];

    public static byte[] Trailer(uint crc32, long uncompressedLength)
    {
        var trailer = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, crc32);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(4), unchecked((uint)uncompressedLength)); // ISIZE is mod 2^32
        return trailer;
    }
}
