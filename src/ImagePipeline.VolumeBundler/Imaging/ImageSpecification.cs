namespace ImagePipeline.VolumeBundler.Imaging;

/// <summary>The image file to make: where, how big, partitioned how, with which file system, mounted where.</summary>
internal sealed record ImageSpecification(
    string ImagePath,
    long SizeBytes,
    PartitionScheme Partition,
    FileSystemIdentity FileSystem,
    string MountPoint);
