namespace ImagePipeline.Output;

/// <summary>
/// Everything the host prints goes through here: one lock so lines from parallel work do not interleave, and the
/// redactor so no secret reaches the terminal or a CI log.
/// </summary>
internal sealed class HostConsole(TextWriter output, TextWriter error, SecretRedactor redactor)
{
    private readonly Lock _gate = new();

    public SecretRedactor Redactor { get; } = redactor;

    public void WriteLine(string text = "")
    {
        lock (_gate)
        {
            output.WriteLine(Redactor.Redact(text));
            output.Flush();
        }
    }

    public void WriteError(string text)
    {
        lock (_gate)
        {
            error.WriteLine(Redactor.Redact(text));
            error.Flush();
        }
    }
}
