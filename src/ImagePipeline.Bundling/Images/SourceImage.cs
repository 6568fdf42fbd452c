using ImagePipeline.Abstractions;
using Microsoft.Win32.SafeHandles;

namespace ImagePipeline.Bundling.Images;

/// <summary>
/// The image being bundled, opened once and the same way by both bundlers: its handle, its size (a block device's
/// capacity too), where it holds data, and the mode and time its tar entry records.
/// </summary>
internal sealed class SourceImage : IDisposable
{
    private SourceImage(string path, SafeFileHandle handle, long size, IReadOnlyList<DataRegion> regions)
    {
        Path = path;
        Handle = handle;
        Size = size;
        Regions = regions;
        Mode = OperatingSystem.IsWindows() ? 0b110_100_100 : (int)File.GetUnixFileMode(path);
        Modified = File.GetLastWriteTimeUtc(path);
    }

    public string Path { get; }

    public SafeFileHandle Handle { get; }

    public long Size { get; }

    public IReadOnlyList<DataRegion> Regions { get; }

    public long DataBytes => Regions.Sum(region => region.Length);

    public int Mode { get; }

    public DateTimeOffset Modified { get; }

    public static async Task<SourceImage> OpenAsync(string path, CancellationToken cancellationToken)
    {
        // Checked again just before opening: a path swapped for a FIFO since validation must not block the run.
        if (ImageFileKind.ProblemWith(path) is { } kindProblem)
        {
            throw PipelineException.Input(kindProblem);
        }

        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw PipelineException.Input($"The image '{path}' cannot be read ({ex.Message}); pass the path of the raw disk image to bundle.", ex);
        }

        try
        {
            var size = ImageSize.Of(handle);
            var regions = await ImageDataMap.FindDataRegionsAsync(handle, size, cancellationToken).ConfigureAwait(false);
            return new SourceImage(path, handle, size, regions);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public void Dispose() => Handle.Dispose();
}
