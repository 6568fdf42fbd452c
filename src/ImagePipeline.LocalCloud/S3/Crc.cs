namespace ImagePipeline.LocalCloud.S3;

/// <summary>
/// The reflected CRCs S3 accepts as x-amz-checksum-* (CRC32, CRC32C, CRC64NVME), so uploads carrying them are checked
/// like S3 checks them rather than trusted.
/// </summary>
internal sealed class Crc
{
    private static readonly ulong[] Crc32Table = Table(0xEDB88320UL);
    private static readonly ulong[] Crc32CTable = Table(0x82F63B78UL);
    private static readonly ulong[] Crc64NvmeTable = Table(0x9A6C9329AC4BC9B5UL);

    private readonly ulong[] _table;
    private readonly ulong _mask;
    private readonly int _bytes;
    private ulong _value;

    private Crc(ulong[] table, int bits)
    {
        _table = table;
        _bytes = bits / 8;
        _mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        _value = _mask;
    }

    public static Crc? For(string algorithm) => algorithm.ToUpperInvariant() switch
    {
        "CRC32" => new Crc(Crc32Table, 32),
        "CRC32C" => new Crc(Crc32CTable, 32),
        "CRC64NVME" => new Crc(Crc64NvmeTable, 64),
        _ => null,
    };

    public void Append(ReadOnlySpan<byte> data)
    {
        var value = _value;
        foreach (var b in data)
        {
            value = _table[(value ^ b) & 0xFF] ^ (value >> 8);
        }

        _value = value;
    }

    /// <summary>The big-endian checksum bytes, as S3 base64-encodes them.</summary>
    public byte[] Result()
    {
        var final = _value ^ _mask;
        var bytes = new byte[_bytes];
        for (var i = 0; i < _bytes; i++)
        {
            bytes[_bytes - 1 - i] = (byte)(final >> (8 * i));
        }

        return bytes;
    }

    private static ulong[] Table(ulong polynomial)
    {
        var table = new ulong[256];
        for (ulong i = 0; i < 256; i++)
        {
            var value = i;
            for (var bit = 0; bit < 8; bit++)
            {
                value = (value & 1) != 0 ? (value >> 1) ^ polynomial : value >> 1;
            }

            table[i] = value;
        }

        return table;
    }
}
