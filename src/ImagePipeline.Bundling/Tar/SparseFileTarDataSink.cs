using Microsoft.Win32.SafeHandles;

namespace ImagePipeline.Bundling.Tar;

/// <summary>
/// Restores a file from tar data, keeping it sparse: all-zero blocks are not written (they stay holes, as they read as
/// zeros anyway), and the file is extended to its real size at the end so a trailing hole stays a hole.
/// </summary>
internal sealed class SparseFileTarDataSink : ITarDataSink, IDisposable
{
    private const int BlockSize = 64 * 1024;
    private readonly SafeFileHandle _file;

    public SparseFileTarDataSink(string path)
    {
        Path = path;
        _file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
    }

    public string Path { get; }

    public async ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            // Align pieces to the block grid of the file so that zero blocks map onto whole file-system blocks.
            var take = (int)Math.Min(data.Length, BlockSize - (offset % BlockSize));
            var piece = data[..take];
            if (piece.Span.ContainsAnyExcept((byte)0))
            {
                await RandomAccess.WriteAsync(_file, piece, offset, cancellationToken).ConfigureAwait(false);
            }

            offset += take;
            data = data[take..];
        }
    }

    public ValueTask CompleteAsync(long realSize, CancellationToken cancellationToken)
    {
        RandomAccess.SetLength(_file, realSize);
        return ValueTask.CompletedTask;
    }

    public void Dispose() => _file.Dispose();
}
