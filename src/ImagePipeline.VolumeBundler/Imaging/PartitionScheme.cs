namespace ImagePipeline.VolumeBundler.Imaging;

/// <summary>--partition: none formats the whole image (paravirtual); mbr and gpt make a disk image (HVM).</summary>
internal enum PartitionScheme
{
    None,
    Mbr,
    Gpt,
}
