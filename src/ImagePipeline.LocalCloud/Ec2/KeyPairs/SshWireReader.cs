using System.Buffers.Binary;
using System.Text;

namespace ImagePipeline.LocalCloud.Ec2.KeyPairs;

/// <summary>Reads the SSH wire encoding; any overrun is a <see cref="FormatException"/>.</summary>
internal sealed class SshWireReader(byte[] data)
{
    private int _offset;

    public bool AtEnd => _offset == data.Length;

    public byte[] String()
    {
        if (data.Length - _offset < 4)
        {
            throw new FormatException("truncated length");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(_offset));
        _offset += 4;
        if (length > data.Length - _offset)
        {
            throw new FormatException("truncated string");
        }

        var value = data.AsSpan(_offset, (int)length).ToArray();
        _offset += (int)length;
        return value;
    }

    public string Text() => Encoding.ASCII.GetString(String());
}
