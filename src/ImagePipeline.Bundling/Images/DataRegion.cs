namespace ImagePipeline.Bundling.Images;

/// <summary>A stretch of a sparse file that holds data; everything between regions is a hole (reads as zeros).</summary>
internal readonly record struct DataRegion(long Offset, long Length)
{
    public long End => Offset + Length;
}
