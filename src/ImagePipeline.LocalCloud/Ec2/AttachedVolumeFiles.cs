using ImagePipeline.LocalCloud.Storage;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>
/// A volume's bytes: a sparse blob per CreateVolume volume, and while it is attached a link to it in
/// <see cref="LocalCloudOptions.AttachedVolumeDirectory"/> named after the device (<c>/dev/xvdf</c> → <c>DIR/xvdf</c>).
/// </summary>
internal sealed class AttachedVolumeFiles(StateStore store, LocalCloudOptions options)
{
    private const long GiB = 1024L * 1024 * 1024;

    public string CreateBlob(int sizeGiB, SnapshotRecord? source)
    {
        var temporary = store.NewTempPath();
        if (source?.BlobName is { } blob)
        {
            SparseFileCopy.Copy(store.BlobPath(blob), temporary);
            using var file = new FileStream(temporary, FileMode.Open, FileAccess.Write);
            file.SetLength(sizeGiB * GiB);
        }
        else
        {
            SparseFileCopy.CreateEmpty(temporary, sizeGiB * GiB);
        }

        return store.CommitBlob(temporary);
    }

    /// <summary>A copy of the volume's bytes as they are now, or null when the volume holds no data here.</summary>
    public string? CopyBlob(VolumeRecord volume)
    {
        if (volume.BlobName is null)
        {
            return null;
        }

        var temporary = store.NewTempPath();
        SparseFileCopy.Copy(store.BlobPath(volume.BlobName), temporary);
        return store.CommitBlob(temporary);
    }

    public void Delete(string? blobName)
    {
        if (blobName is not null)
        {
            store.DeleteBlob(blobName);
        }
    }

    public void Expose(VolumeRecord volume)
    {
        if (LinkPath(volume) is { } link)
        {
            Directory.CreateDirectory(options.AttachedVolumeDirectory!);
            File.Delete(link);
            File.CreateSymbolicLink(link, store.BlobPath(volume.BlobName!));
        }
    }

    public void Withdraw(VolumeRecord volume)
    {
        if (LinkPath(volume) is { } link)
        {
            File.Delete(link);
        }
    }

    private string? LinkPath(VolumeRecord volume) =>
        options.AttachedVolumeDirectory is { } directory && volume.BlobName is not null && volume.Device is { } device
            ? Path.Combine(directory, Path.GetFileName(device))
            : null;
}
