namespace ImagePipeline.Abstractions;

/// <summary>The partition table of the image the volume bundler makes of a live volume (a bundle image, or an attached EBS volume); typed as <c>none</c>, <c>mbr</c> or <c>gpt</c>.</summary>
public enum VolumePartitionTable
{
    /// <summary>The file system fills the image (ec2-bundle-vol's default, for paravirtual images).</summary>
    None,

    /// <summary>An MBR table with one partition from sector 63 holding the file system (an HVM disk image).</summary>
    Mbr,

    /// <summary>A GPT table: the file system in partition 1 from 2 MiB, a BIOS boot partition before it (an HVM disk image).</summary>
    Gpt,
}
