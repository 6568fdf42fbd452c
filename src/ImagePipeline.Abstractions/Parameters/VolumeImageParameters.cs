namespace ImagePipeline.Abstractions;

/// <summary>
/// How the volume bundler images a live volume, whatever it writes the image into: an instance-store bundle
/// (<c>--bundler builtin</c>) or an attached EBS volume (an EBS image of an instance-store-backed Linux instance).
/// Declared once here so both strategies take the same names with the same meaning; <see cref="VolumeImageArguments"/>
/// turns them into the program's options.
/// </summary>
public static class VolumeImageParameters
{
    public static readonly Parameter<string> Volume = new(
        "volume", "The mount point on the instance to image with the volume bundler.",
        value => value.StartsWith('/') ? null : $"--volume '{value}' must be an absolute path on the instance, for example /.")
    { Default = "/" };

    public static readonly Parameter<string[]> VolumeExclude = new(
        "volume-exclude", "Folders on the instance left out of the image (volume bundler), on top of /dev /media /mnt /proc /sys.")
    { Default = [] };

    public static readonly Parameter<string[]> VolumeInclude = new(
        "volume-include", "Files on the instance put back into the image although they match the security filter (*.pem, authorized_keys, ...; volume bundler).")
    { Default = [] };

    public static readonly Parameter<bool> VolumeNoFilter = new(
        "volume-no-filter", "Keep the files the security filter leaves out of the image by default: *.pem, *.priv, *id_rsa*, *.gpg, *.jks, .ssh/authorized_keys, .bash_history, editor backups (volume bundler).")
    { Default = false };

    public static readonly Parameter<bool> VolumeAllMounts = new(
        "volume-all-mounts", "Also copy the file systems mounted under --volume that are not local (NFS, bind mounts of other file systems, ...); by default only ext2/3/4, xfs, jfs, reiserfs and tmpfs mounts are copied (volume bundler).")
    { Default = false };

    public static readonly Parameter<string> VolumeFstab = new(
        "volume-fstab", "A file on this machine written as the image's /etc/fstab, byte for byte (the volume's own kept as fstab.old); by default the volume's /etc/fstab is kept as it is (volume bundler).");

    public static readonly Parameter<bool> VolumeGenerateFstab = new(
        "volume-generate-fstab", "Write an /etc/fstab for the image: the root file system by UUID (or label), plus devpts, shm, proc and sys (the volume's own kept as fstab.old; volume bundler).")
    { Default = false };

    public static readonly Parameter<VolumePartitionTable> VolumePartition = new(
        "volume-partition", "The partition table of the image: none (the file system fills it), mbr or gpt (a disk image with the file system in partition 1, for HVM; volume bundler).")
    { Default = VolumePartitionTable.None };

    /// <summary>All of them, in the order <c>--help</c> lists them.</summary>
    public static IReadOnlyList<ParameterDefinition> All { get; } =
        [Volume, VolumeExclude, VolumeInclude, VolumeNoFilter, VolumeAllMounts, VolumeFstab, VolumeGenerateFstab, VolumePartition];
}
