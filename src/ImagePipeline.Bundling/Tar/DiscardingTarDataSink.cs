namespace ImagePipeline.Bundling.Tar;

/// <summary>A sink for verification: the data only has to flow through the digest.</summary>
internal sealed class DiscardingTarDataSink : ITarDataSink
{
    public ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask CompleteAsync(long realSize, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
