namespace ImagePipeline.Bundling.Tar;

/// <summary>Receives the bytes of a tar file entry at their offsets in the restored file.</summary>
internal interface ITarDataSink
{
    ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Called once all data is written; the file's final size may lie past the last data (a trailing hole).</summary>
    ValueTask CompleteAsync(long realSize, CancellationToken cancellationToken);
}
