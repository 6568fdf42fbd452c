using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace ImagePipeline.Bundling.Tar;

/// <summary>
/// Numeric fields of tar headers: NUL-terminated octal, or GNU base-256 (high bit set) when the value does not fit,
/// which is how GNU tar stores sizes and offsets of 8 GiB and more.
/// </summary>
internal static class TarNumberField
{
    public static void Write(Span<byte> field, long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        var octal = Convert.ToString(value, 8);
        if (octal.Length <= field.Length - 1)
        {
            field.Clear();
            var padded = octal.PadLeft(field.Length - 1, '0');
            Encoding.ASCII.GetBytes(padded, field);
            return;
        }

        field.Clear();
        BinaryPrimitives.WriteInt64BigEndian(field[^8..], value);
        field[0] = 0x80;
    }

    public static long Read(ReadOnlySpan<byte> field)
    {
        if (field.Length > 0 && (field[0] & 0x80) != 0)
        {
            // Base-256: the remaining bits, big-endian. Negative values (0xFF lead) are not valid sizes or offsets.
            if (field[0] == 0xFF)
            {
                throw new InvalidDataException("The tar header holds a negative number.");
            }

            long value = field[0] & 0x7F;
            foreach (var b in field[1..])
            {
                if (value > (long.MaxValue >> 8))
                {
                    throw new InvalidDataException("The tar header holds a number too large for any file.");
                }

                value = (value << 8) | b;
            }

            return value;
        }

        var text = Encoding.ASCII.GetString(field).Trim(' ', '\0');
        if (text.Length == 0)
        {
            return 0;
        }

        try
        {
            return Convert.ToInt64(text, 8);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"The tar header holds a malformed number '{text}'."), ex);
        }
    }
}
