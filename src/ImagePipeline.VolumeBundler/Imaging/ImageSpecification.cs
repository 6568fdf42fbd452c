namespace ImagePipeline.VolumeBundler.Imaging;

/// <summary>
/// The image to make: where, how big, partitioned how, with which file system, mounted where. An <paramref name="ExistingTarget"/>
/// (--output-device) is written over in place, never created, resized or deleted.
/// </summary>
internal sealed record ImageSpecification(
    string ImagePath,
    long SizeBytes,
    PartitionScheme Partition,
    FileSystemIdentity FileSystem,
    string MountPoint,
    bool ExistingTarget = false);
