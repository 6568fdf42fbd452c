using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace ImagePipeline.Bundling.Tests.Tar;

/// <summary>Tar streams written block by block, valid or not, to feed the reader what no tar tool would write.</summary>
public static class CraftedTar
{
    private const int BlockSize = 512;

    /// <summary>A header block with a correct checksum; <paramref name="size"/> is written as given (octal, or raw bytes when a byte array).</summary>
    public static byte[] Header(string name, char type, object size, Action<byte[]>? edit = null)
    {
        var block = new byte[BlockSize];
        Encoding.ASCII.GetBytes(name, block.AsSpan(0, 100));
        Encoding.ASCII.GetBytes("0000644\0", block.AsSpan(100));
        Encoding.ASCII.GetBytes("0000000\0", block.AsSpan(108));
        Encoding.ASCII.GetBytes("0000000\0", block.AsSpan(116));
        switch (size)
        {
            case long value:
                Encoding.ASCII.GetBytes(Convert.ToString(value, 8).PadLeft(11, '0') + "\0", block.AsSpan(124));
                break;
            case int value:
                Encoding.ASCII.GetBytes(Convert.ToString(value, 8).PadLeft(11, '0') + "\0", block.AsSpan(124));
                break;
            case byte[] raw:
                raw.CopyTo(block.AsSpan(124, 12));
                break;
            case string text:
                Encoding.ASCII.GetBytes(text, block.AsSpan(124, 12));
                break;
        }

        Encoding.ASCII.GetBytes("00000000000\0", block.AsSpan(136));
        block[156] = (byte)type;
        Encoding.ASCII.GetBytes("ustar  \0", block.AsSpan(257));
        edit?.Invoke(block);
        Seal(block);
        return block;
    }

    /// <summary>Writes the header checksum over the block as it stands.</summary>
    public static void Seal(byte[] block)
    {
        block.AsSpan(148, 8).Fill((byte)' ');
        var sum = block.Sum(b => (long)b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ", block.AsSpan(148));
    }

    /// <summary>A 12-byte GNU base-256 number field.</summary>
    public static byte[] Base256(long value, byte lead = 0x80)
    {
        var field = new byte[12];
        BinaryPrimitives.WriteInt64BigEndian(field.AsSpan(4), value);
        field[0] = lead;
        return field;
    }

    /// <summary>An octal field of <paramref name="length"/> bytes.</summary>
    public static byte[] Octal(long value, int length = 12) =>
        Encoding.ASCII.GetBytes(Convert.ToString(value, 8).PadLeft(length - 1, '0') + "\0");

    /// <summary>Data padded to whole blocks.</summary>
    public static byte[] Data(byte[] content)
    {
        var padded = new byte[(content.Length + BlockSize - 1) / BlockSize * BlockSize];
        content.CopyTo(padded, 0);
        return padded;
    }

    /// <summary>Well-formed PAX records ("LENGTH KEY=VALUE\n").</summary>
    public static byte[] Pax(params (string Key, string Value)[] records)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in records)
        {
            var body = $" {key}={value}\n";
            var length = body.Length + 1;
            while (body.Length + length.ToString(CultureInfo.InvariantCulture).Length != length)
            {
                length = body.Length + length.ToString(CultureInfo.InvariantCulture).Length;
            }
            text.Append(length.ToString(CultureInfo.InvariantCulture)).Append(body);
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>A PAX extended header ('x') holding <paramref name="records"/>, then a file entry of <paramref name="storedSize"/> bytes of data.</summary>
    public static byte[] PaxEntry(byte[] records, long storedSize, byte[]? data = null) =>
        Concat(Header("PaxHeaders/disk.img", 'x', records.Length), Data(records), Header("disk.img", '0', storedSize), Data(data ?? new byte[storedSize]), End());

    /// <summary>Two zero blocks.</summary>
    public static byte[] End() => new byte[2 * BlockSize];

    public static byte[] Concat(params byte[][] pieces) => pieces.SelectMany(piece => piece).ToArray();
}
