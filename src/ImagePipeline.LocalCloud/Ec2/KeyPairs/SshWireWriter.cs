using System.Buffers.Binary;
using System.Text;

namespace ImagePipeline.LocalCloud.Ec2.KeyPairs;

/// <summary>The SSH wire encoding (RFC 4251): uint32, string and mpint, as public key blobs and key files use it.</summary>
internal sealed class SshWireWriter
{
    private readonly MemoryStream _buffer = new();

    public SshWireWriter UInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public SshWireWriter String(ReadOnlySpan<byte> value)
    {
        UInt32((uint)value.Length);
        _buffer.Write(value);
        return this;
    }

    public SshWireWriter String(string value) => String(Encoding.ASCII.GetBytes(value));

    /// <summary>An unsigned big-endian integer: leading zeros dropped, one zero added when the high bit is set.</summary>
    public SshWireWriter MPInt(ReadOnlySpan<byte> unsignedBigEndian)
    {
        var start = 0;
        while (start < unsignedBigEndian.Length && unsignedBigEndian[start] == 0)
        {
            start++;
        }

        var value = unsignedBigEndian[start..];
        if (value.Length > 0 && (value[0] & 0x80) != 0)
        {
            UInt32((uint)value.Length + 1);
            _buffer.WriteByte(0);
            _buffer.Write(value);
            return this;
        }

        return String(value);
    }

    public SshWireWriter Raw(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    public int Length => (int)_buffer.Length;

    public byte[] ToArray() => _buffer.ToArray();
}
