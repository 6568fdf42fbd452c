namespace ImagePipeline.LocalCloud.Storage;

/// <summary>
/// Copies a volume's file keeping it sparse: a block of zeros is skipped, not written, so a snapshot of a mostly empty
/// 8 GiB volume takes the space of its data, as EBS's incremental snapshots do.
/// </summary>
internal static class SparseFileCopy
{
    private const int BlockSize = 1024 * 1024;

    public static void Copy(string source, string destination)
    {
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, BlockSize);
        using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, BlockSize);
        var buffer = new byte[BlockSize];
        int read;
        while ((read = input.ReadAtLeast(buffer, BlockSize, throwOnEndOfStream: false)) > 0)
        {
            if (buffer.AsSpan(0, read).ContainsAnyExcept((byte)0))
            {
                output.Position = input.Position - read;
                output.Write(buffer, 0, read);
            }
        }

        output.SetLength(input.Length);
    }

    /// <summary>A new file of <paramref name="bytes"/> that takes no space until written.</summary>
    public static void CreateEmpty(string path, long bytes)
    {
        using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        output.SetLength(bytes);
    }
}
