namespace ImagePipeline.Abstractions;

/// <summary>
/// A file the user names for the run to read (a key, a certificate, a script, a parameters file): one check, alike for
/// every parameter, that it is a regular file of a sensible size, so that <c>/dev/zero</c>, a named pipe or a folder is
/// one clear input error instead of a hang or an exhausted memory.
/// </summary>
public static class InputFile
{
    /// <summary>The most a key, a certificate or a parameters file holds; PEM files are a few kilobytes.</summary>
    public const long SmallFileLimit = 1024 * 1024;

    /// <summary>
    /// Why <paramref name="path"/> cannot be read as <paramref name="what"/> ("--ssh-key 'id_rsa'"), one sentence naming
    /// the fix; null when it can.
    /// </summary>
    public static string? Problem(string path, string what, long maxBytes = SmallFileLimit)
    {
        var kind = FileKinds.Of(path);
        var problem = kind switch
        {
            FileKind.Missing => "does not exist",
            FileKind.Directory => "is a folder",
            FileKind.BlockDevice => "is a block device",
            FileKind.CharacterDevice => "is a character device",
            FileKind.Fifo => "is a named pipe",
            FileKind.Socket => "is a socket",
            _ => new FileInfo(path).Length > maxBytes ? $"is larger than {Describe(maxBytes)}" : null,
        };
        return problem is null ? null : $"{what} {problem}; pass the path of a regular file{(kind == FileKind.RegularFile ? $" of at most {Describe(maxBytes)}" : string.Empty)}.";
    }

    /// <summary>Reads the file's text after <see cref="Problem"/>; its problem is a <see cref="PipelineException"/> of kind input.</summary>
    public static string ReadAllText(string path, string what, long maxBytes = SmallFileLimit) =>
        Problem(path, what, maxBytes) is { } problem ? throw PipelineException.Input(problem) : File.ReadAllText(path);

    /// <summary>Reads the file's bytes after <see cref="Problem"/>; its problem is a <see cref="PipelineException"/> of kind input.</summary>
    public static byte[] ReadAllBytes(string path, string what, long maxBytes = SmallFileLimit) =>
        Problem(path, what, maxBytes) is { } problem ? throw PipelineException.Input(problem) : File.ReadAllBytes(path);

    private static string Describe(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB" : bytes % 1024 == 0 ? $"{bytes / 1024} KiB" : $"{bytes} bytes";
}
