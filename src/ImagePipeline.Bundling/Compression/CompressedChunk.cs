namespace ImagePipeline.Bundling.Compression;

/// <summary>Compressed bytes in a pooled buffer: <see cref="Buffer"/>[0..<see cref="Length"/>].</summary>
internal readonly record struct CompressedChunk(byte[] Buffer, int Length);
