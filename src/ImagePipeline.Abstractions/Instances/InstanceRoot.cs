namespace ImagePipeline.Abstractions;

/// <summary>
/// The root device of the instance a run captures. A strategy may capture the two alike (CreateImage, BundleInstance,
/// the live-volume bundler) or differently (an EBS image of an instance-store-backed instance is written onto a new
/// volume). The host knows it only once the cloud is read (the base image, or <c>--instance-id</c>'s instance), so
/// <c>--plan</c> shows both plans where they differ.
/// </summary>
public enum InstanceRoot
{
    /// <summary>An EBS root volume; also what is assumed where no instance is read (a disk image, <c>--instance-host</c> alone).</summary>
    Ebs,

    /// <summary>An instance-store root device: it cannot be stopped or snapshotted, and ends with the instance.</summary>
    InstanceStore,
}
