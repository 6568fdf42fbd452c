using System.Buffers;
using System.Globalization;
using System.Text;
using ImagePipeline.Bundling.Images;

namespace ImagePipeline.Bundling.Tar;

/// <summary>
/// Reads file entries from a forward-only tar stream: ustar/GNU regular files, old-GNU sparse files ('S' with extension
/// blocks, as <c>tar -S</c> and the AMI tools write), PAX sparse 0.0, 0.1 and 1.0, GNU long names ('L') and PAX paths.
/// Whatever it cannot read (a malformed record, a number out of range, a sparse map that is unsorted, overlapping, past
/// the file's end or not adding up) ends in one <see cref="InvalidDataException"/>, never in another exception.
/// </summary>
internal sealed class TarArchiveReader
{
    private const int BlockSize = 512;

    /// <summary>Sizes and offsets beyond this (4 EiB) are refused, so that no sum of two of them can overflow.</summary>
    private const long MaxNumber = 1L << 62;

    /// <summary>A sparse map with more regions than this would take gigabytes to hold; no real image has one.</summary>
    private const int MaxRegions = 1 << 24;
    private readonly Stream _stream;
    private readonly byte[] _block = new byte[BlockSize];

    public TarArchiveReader(Stream stream)
    {
        _stream = stream;
    }

    /// <summary>The next file entry, skipping directories, links and metadata entries; null at the end of the archive.</summary>
    public async Task<TarFileEntry?> NextFileEntryAsync(CancellationToken cancellationToken)
    {
        string? longName = null;
        List<KeyValuePair<string, string>>? pax = null;
        while (true)
        {
            if (!await TryReadBlockAsync(cancellationToken).ConfigureAwait(false) || !_block.AsSpan().ContainsAnyExcept((byte)0))
            {
                return null;
            }

            VerifyChecksum(_block);
            var typeFlag = (char)_block[156];
            var size = Bounded(TarNumberField.Read(_block.AsSpan(124, 12)), "entry size");
            switch (typeFlag)
            {
                case 'L':
                    longName = CString(await ReadDataAsync(size, cancellationToken).ConfigureAwait(false));
                    continue;
                case 'x':
                    pax = ParsePaxRecords(await ReadDataAsync(size, cancellationToken).ConfigureAwait(false));
                    continue;
                case 'K' or 'g':
                    await SkipAsync(size + PaddingAfter(size), cancellationToken).ConfigureAwait(false);
                    continue;
                case '0' or '\0' or '7':
                    return RegularOrPaxSparse(HeaderName(longName, pax), size, pax);
                case 'S':
                    return await OldGnuSparseAsync(HeaderName(longName, pax), size, cancellationToken).ConfigureAwait(false);
                default:
                    // Directories, links, devices: nothing to restore for a bundle; skip any data they carry.
                    await SkipAsync(size + PaddingAfter(size), cancellationToken).ConfigureAwait(false);
                    longName = null;
                    pax = null;
                    continue;
            }
        }
    }

    /// <summary>Streams the entry's bytes to the sink at their offsets in the restored file.</summary>
    public async Task CopyEntryDataAsync(TarFileEntry entry, ITarDataSink sink, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1024 * 1024);
        try
        {
            long consumed = 0;
            IReadOnlyList<DataRegion> regions = entry.Map ?? [new DataRegion(0, entry.StoredSize)];
            if (entry.MapInData)
            {
                (regions, consumed) = await ReadPaxSparseMapAsync(entry.StoredSize, cancellationToken).ConfigureAwait(false);
            }

            CheckMap(regions, entry.RealSize, entry.StoredSize - consumed);

            foreach (var region in regions)
            {
                var offset = region.Offset;
                while (offset < region.End)
                {
                    var want = (int)Math.Min(buffer.Length, region.End - offset);
                    await ReadExactlyAsync(buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
                    await sink.WriteAsync(offset, buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
                    offset += want;
                    consumed += want;
                    progress?.Report(offset);
                }
            }

            if (consumed != entry.StoredSize)
            {
                throw new InvalidDataException("The sparse map of the tar entry does not add up to its stored size.");
            }

            await SkipAsync(PaddingAfter(entry.StoredSize), cancellationToken).ConfigureAwait(false);
            await sink.CompleteAsync(entry.RealSize, cancellationToken).ConfigureAwait(false);
            progress?.Report(entry.RealSize);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static long PaddingAfter(long length) => (BlockSize - (length % BlockSize)) % BlockSize;

    private static string HeaderNameField(byte[] block)
    {
        var name = CString(block.AsSpan(0, 100));
        var isUstar = block.AsSpan(257, 6).SequenceEqual("ustar\0"u8);
        var prefix = isUstar ? CString(block.AsSpan(345, 155)) : string.Empty;
        return prefix.Length > 0 ? prefix + "/" + name : name;
    }

    private static string CString(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    private static void VerifyChecksum(byte[] block)
    {
        var stored = TarNumberField.Read(block.AsSpan(148, 8));
        long sum = 0;
        for (var index = 0; index < BlockSize; index++)
        {
            sum += index is >= 148 and < 156 ? (byte)' ' : block[index];
        }

        if (sum != stored)
        {
            throw new InvalidDataException("A tar header's checksum does not match.");
        }
    }

    private static List<KeyValuePair<string, string>> ParsePaxRecords(byte[] data)
    {
        // Records: "LENGTH KEY=VALUE\n", LENGTH in decimal counting the whole record in bytes.
        var records = new List<KeyValuePair<string, string>>();
        var position = 0;
        while (position < data.Length && data[position] != 0)
        {
            var space = Array.IndexOf(data, (byte)' ', position, Math.Min(data.Length - position, 20));
            if (space <= position || data.AsSpan(position, space - position).ContainsAnyExceptInRange((byte)'0', (byte)'9')
                || !long.TryParse(Encoding.ASCII.GetString(data, position, space - position), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                throw new InvalidDataException("A PAX header record does not start with its length.");
            }

            if (length < space - position + 4 || length > data.Length - position || data[position + (int)length - 1] != (byte)'\n')
            {
                throw new InvalidDataException("A PAX header record's length does not match the record.");
            }

            var record = data.AsSpan(space + 1, (int)length - (space - position) - 2);
            var equals = record.IndexOf((byte)'=');
            if (equals <= 0)
            {
                throw new InvalidDataException("A PAX header record has no KEY=VALUE.");
            }

            records.Add(new KeyValuePair<string, string>(Encoding.UTF8.GetString(record[..equals]), Encoding.UTF8.GetString(record[(equals + 1)..])));
            position += (int)length;
        }

        return records;
    }

    /// <summary>A decimal number from a PAX record or sparse map: digits only, at most <see cref="MaxNumber"/>.</summary>
    private static long Decimal(string text, string what)
    {
        if (text.Length is 0 or > 19 || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new InvalidDataException($"The tar {what} '{(text.Length > 20 ? text[..20] + "..." : text)}' is not a whole number.");
        }

        return Bounded(value, what);
    }

    private static long Bounded(long value, string what) =>
        value is >= 0 and <= MaxNumber ? value : throw new InvalidDataException($"The tar {what} ({value}) is larger than any image.");

    /// <summary>
    /// Regions must be in order, not overlap, lie within the file's real size, and hold exactly the stored data: only
    /// then is every byte written once, inside the image the manifest describes.
    /// </summary>
    private static void CheckMap(IReadOnlyList<DataRegion> regions, long realSize, long dataSize)
    {
        long end = 0;
        long total = 0;
        foreach (var region in regions)
        {
            if (region.Offset < end)
            {
                throw new InvalidDataException("The sparse map's regions are out of order or overlap.");
            }

            if (region.Length > realSize - region.Offset)
            {
                throw new InvalidDataException("The sparse map has data past the file's real size.");
            }

            end = region.End;
            total += region.Length;
        }

        if (total != dataSize)
        {
            throw new InvalidDataException("The sparse map of the tar entry does not add up to its stored size.");
        }
    }

    private static string? Pax(List<KeyValuePair<string, string>>? pax, string key) =>
        pax?.LastOrDefault(record => record.Key == key).Value;

    private string HeaderName(string? longName, List<KeyValuePair<string, string>>? pax) =>
        Pax(pax, "GNU.sparse.name") ?? Pax(pax, "path") ?? longName ?? HeaderNameField(_block);

    private static TarFileEntry RegularOrPaxSparse(string name, long headerSize, List<KeyValuePair<string, string>>? pax)
    {
        var size = Pax(pax, "size") is { } paxSize ? Decimal(paxSize, "PAX size") : headerSize;
        if (Pax(pax, "GNU.sparse.major") is { } major)
        {
            if (major != "1" || Pax(pax, "GNU.sparse.minor") is not (null or "0"))
            {
                throw new InvalidDataException($"The PAX sparse format {major}.{Pax(pax, "GNU.sparse.minor")} is not one GNU tar writes.");
            }

            var realSize = Decimal(Pax(pax, "GNU.sparse.realsize") ?? throw new InvalidDataException("A PAX sparse entry has no real size."), "sparse real size");
            return new TarFileEntry(name, realSize, size, Map: null, MapInData: true);
        }

        if (Pax(pax, "GNU.sparse.size") is { } sparseSize)
        {
            var realSize = Decimal(sparseSize, "sparse real size");
            var numbers = Pax(pax, "GNU.sparse.map") is { } map
                ? map.Split(',').Select(number => Decimal(number, "sparse map value")).ToList()
                : pax!.Where(record => record.Key is "GNU.sparse.offset" or "GNU.sparse.numbytes").Select(record => Decimal(record.Value, "sparse map value")).ToList();
            if (Pax(pax, "GNU.sparse.numblocks") is { } declared && Decimal(declared, "sparse region count") * 2 != numbers.Count)
            {
                throw new InvalidDataException("The PAX sparse map does not hold the number of regions it declares.");
            }

            return new TarFileEntry(name, realSize, size, PairsToRegions(numbers), MapInData: false);
        }

        return new TarFileEntry(name, size, size, Map: null, MapInData: false);
    }

    private static List<DataRegion> PairsToRegions(IReadOnlyList<long> numbers)
    {
        if (numbers.Count % 2 != 0)
        {
            throw new InvalidDataException("A sparse map has an odd number of values.");
        }

        if (numbers.Count / 2 > MaxRegions)
        {
            throw new InvalidDataException("A sparse map has implausibly many regions.");
        }

        var regions = new List<DataRegion>(numbers.Count / 2);
        for (var index = 0; index < numbers.Count; index += 2)
        {
            regions.Add(new DataRegion(numbers[index], numbers[index + 1]));
        }

        return regions;
    }

    private async Task<TarFileEntry> OldGnuSparseAsync(string name, long storedSize, CancellationToken cancellationToken)
    {
        var realSize = Bounded(TarNumberField.Read(_block.AsSpan(483, 12)), "sparse real size");
        var regions = new List<DataRegion>();
        ReadSparseEntries(_block.AsSpan(386, 4 * 24), regions);
        var isExtended = _block[482] != 0;
        while (isExtended)
        {
            if (!await TryReadBlockAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidDataException("The tar stream ends inside a sparse header.");
            }

            ReadSparseEntries(_block.AsSpan(0, 21 * 24), regions);
            isExtended = _block[504] != 0;
            if (regions.Count > MaxRegions)
            {
                throw new InvalidDataException("A sparse map has implausibly many regions.");
            }
        }

        return new TarFileEntry(name, realSize, storedSize, regions, MapInData: false);
    }

    private static void ReadSparseEntries(ReadOnlySpan<byte> entries, List<DataRegion> regions)
    {
        for (var position = 0; position + 24 <= entries.Length; position += 24)
        {
            var entry = entries.Slice(position, 24);
            if (entry[0] == 0)
            {
                return; // unused slot
            }

            regions.Add(new DataRegion(Bounded(TarNumberField.Read(entry[..12]), "sparse offset"), Bounded(TarNumberField.Read(entry.Slice(12, 12)), "sparse region size")));
        }
    }

    private async Task<(IReadOnlyList<DataRegion> Regions, long Consumed)> ReadPaxSparseMapAsync(long storedSize, CancellationToken cancellationToken)
    {
        // Decimal numbers, one a line: the region count, then offset and size of each; padded to a whole block.
        var numbers = new List<long>();
        var current = new StringBuilder();
        long consumed = 0;
        long? count = null;
        while (count is null || numbers.Count < 2 * count)
        {
            if (consumed + BlockSize > storedSize)
            {
                throw new InvalidDataException("The PAX sparse map runs past the entry's data.");
            }

            if (!await TryReadBlockAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidDataException("The tar stream ends inside a sparse map.");
            }

            consumed += BlockSize;
            foreach (var b in _block)
            {
                if (count is not null && numbers.Count == 2 * count)
                {
                    break;
                }

                if (b != (byte)'\n')
                {
                    if (current.Length == 20)
                    {
                        throw new InvalidDataException("The PAX sparse map holds a line that is not a number.");
                    }

                    current.Append((char)b);
                    continue;
                }

                var number = Decimal(current.ToString(), "sparse map value");
                current.Clear();
                if (count is null)
                {
                    count = number <= MaxRegions ? number : throw new InvalidDataException("A sparse map has implausibly many regions.");
                }
                else
                {
                    numbers.Add(number);
                }
            }
        }

        return (PairsToRegions(numbers), consumed);
    }

    private async Task<bool> TryReadBlockAsync(CancellationToken cancellationToken)
    {
        var read = await _stream.ReadAtLeastAsync(_block, BlockSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            return false;
        }

        return read == BlockSize ? true : throw new InvalidDataException("The tar stream ends inside a block.");
    }

    private async Task<byte[]> ReadDataAsync(long size, CancellationToken cancellationToken)
    {
        if (size > 16 * 1024 * 1024)
        {
            throw new InvalidDataException("A tar metadata entry is implausibly large.");
        }

        var data = new byte[size];
        await ReadExactlyAsync(data, cancellationToken).ConfigureAwait(false);
        await SkipAsync(PaddingAfter(size), cancellationToken).ConfigureAwait(false);
        return data;
    }

    private async Task ReadExactlyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException("The tar stream ends inside an entry.", ex);
        }
    }

    private async Task SkipAsync(long count, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(count, 1024 * 1024) + 1);
        try
        {
            while (count > 0)
            {
                var read = await _stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new InvalidDataException("The tar stream ends inside an entry.");
                }

                count -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
