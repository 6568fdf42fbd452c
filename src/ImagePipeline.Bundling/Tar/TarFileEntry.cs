using ImagePipeline.Bundling.Images;

namespace ImagePipeline.Bundling.Tar;

/// <summary>
/// A file entry read from a tar stream. <see cref="Map"/> is null for a regular file; for a sparse file it lists the
/// data regions in the order their bytes are stored. <see cref="MapInData"/> marks PAX sparse 1.0, whose map opens the data.
/// </summary>
internal sealed record TarFileEntry(string Name, long RealSize, long StoredSize, IReadOnlyList<DataRegion>? Map, bool MapInData);
