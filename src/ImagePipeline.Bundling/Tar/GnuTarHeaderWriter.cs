using System.Text;
using ImagePipeline.Bundling.Images;

namespace ImagePipeline.Bundling.Tar;

/// <summary>
/// Writes the header blocks of one GNU-format tar entry (as <c>tar -c -S --owner 0 --group 0</c> writes them): a regular
/// file ('0'), or an old-GNU sparse file ('S') whose data-region map sits in the header and in extension blocks.
/// </summary>
internal static class GnuTarHeaderWriter
{
    public const int BlockSize = 512;

    /// <summary>GNU tar's default record: 20 blocks. The archive is padded to a whole record, as tar does.</summary>
    public const int RecordSize = 20 * BlockSize;

    /// <summary>The longest entry name the header's name field holds (GNU's ././@LongLink is not written).</summary>
    public const int MaxNameBytes = 100;

    private const int SparseEntriesInHeader = 4;
    private const int SparseEntriesInExtension = 21;
    private const int SparseEntrySize = 24;

    /// <summary>Returns the header block(s) for the entry; the stored data follows, padded to 512 bytes.</summary>
    /// <param name="regions">The data regions; null for a regular (non-sparse) entry holding <paramref name="realSize"/> bytes.</param>
    public static byte[] Build(string name, long realSize, IReadOnlyList<DataRegion>? regions, int mode, DateTimeOffset modified)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        if (nameBytes.Length > MaxNameBytes)
        {
            throw new ArgumentException($"The entry name is longer than {MaxNameBytes} bytes.", nameof(name));
        }

        if (regions is null)
        {
            var header = new byte[BlockSize];
            FillCommonFields(header, nameBytes, realSize, mode, modified, typeFlag: (byte)'0');
            WriteChecksum(header);
            return header;
        }

        // GNU tar ends the map with a zero-length region at the end of the file when the file ends in a hole,
        // so that extraction restores the full size.
        var map = new List<DataRegion>(regions);
        if (map.Count == 0 || map[^1].End < realSize)
        {
            map.Add(new DataRegion(realSize, 0));
        }

        var storedSize = 0L;
        foreach (var region in map)
        {
            storedSize += region.Length;
        }

        var extensionBlocks = map.Count <= SparseEntriesInHeader
            ? 0
            : (map.Count - SparseEntriesInHeader + SparseEntriesInExtension - 1) / SparseEntriesInExtension;
        var blocks = new byte[BlockSize * (1 + extensionBlocks)];
        var first = blocks.AsSpan(0, BlockSize);
        FillCommonFields(first, nameBytes, storedSize, mode, modified, typeFlag: (byte)'S');
        TarNumberField.Write(first.Slice(483, 12), realSize);
        var index = 0;
        for (; index < Math.Min(map.Count, SparseEntriesInHeader); index++)
        {
            WriteSparseEntry(first.Slice(386 + (index * SparseEntrySize), SparseEntrySize), map[index]);
        }

        first[482] = (byte)(extensionBlocks > 0 ? 1 : 0);
        WriteChecksum(first);

        for (var block = 0; block < extensionBlocks; block++)
        {
            var extension = blocks.AsSpan(BlockSize * (1 + block), BlockSize);
            for (var slot = 0; slot < SparseEntriesInExtension && index < map.Count; slot++, index++)
            {
                WriteSparseEntry(extension.Slice(slot * SparseEntrySize, SparseEntrySize), map[index]);
            }

            extension[504] = (byte)(block < extensionBlocks - 1 ? 1 : 0);
        }

        return blocks;
    }

    public static int PaddingAfter(long dataLength) => (int)((BlockSize - (dataLength % BlockSize)) % BlockSize);

    private static void FillCommonFields(Span<byte> header, byte[] name, long size, int mode, DateTimeOffset modified, byte typeFlag)
    {
        name.CopyTo(header);
        TarNumberField.Write(header.Slice(100, 8), mode & 0xFFF);
        TarNumberField.Write(header.Slice(108, 8), 0); // uid: --owner 0
        TarNumberField.Write(header.Slice(116, 8), 0); // gid: --group 0
        TarNumberField.Write(header.Slice(124, 12), size);
        TarNumberField.Write(header.Slice(136, 12), Math.Max(0, modified.ToUnixTimeSeconds()));
        header[156] = typeFlag;
        "ustar  \0"u8.CopyTo(header[257..]); // GNU magic + version
        "root"u8.CopyTo(header[265..]);
        "root"u8.CopyTo(header[297..]);
    }

    private static void WriteSparseEntry(Span<byte> entry, DataRegion region)
    {
        TarNumberField.Write(entry[..12], region.Offset);
        TarNumberField.Write(entry.Slice(12, 12), region.Length);
    }

    private static void WriteChecksum(Span<byte> header)
    {
        header.Slice(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in header)
        {
            sum += b;
        }

        // Six octal digits, NUL, space: the form GNU tar writes.
        var digits = Convert.ToString(sum, 8).PadLeft(6, '0');
        Encoding.ASCII.GetBytes(digits, header.Slice(148, 6));
        header[154] = 0;
        header[155] = (byte)' ';
    }
}
