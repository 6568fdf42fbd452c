using System.Text;

namespace ImagePipeline.Output;

/// <summary>Writes to the caller's writer and keeps a copy (the typed API reads its error lines back for the exception).</summary>
internal sealed class CopyingWriter(TextWriter target, TextWriter copy) : TextWriter
{
    public override Encoding Encoding => target.Encoding;

    public override void Write(char value)
    {
        target.Write(value);
        copy.Write(value);
    }

    public override void Write(string? value)
    {
        target.Write(value);
        copy.Write(value);
    }

    public override void WriteLine(string? value)
    {
        target.WriteLine(value);
        copy.WriteLine(value);
    }

    public override void Flush() => target.Flush();
}
