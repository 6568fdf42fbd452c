using System.Xml.Linq;
using ImagePipeline.LocalCloud.Storage;
using static ImagePipeline.LocalCloud.Ec2.Ec2Xml;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>The imagesSet item shape.</summary>
internal static class ImageXml
{
    public static XElement Item(ImageRecord i, DateTimeOffset now)
    {
        var state = i.Timeline.StateAt(now);
        return Ec2Xml.Item(
            E("imageId", i.ImageId),
            E("imageLocation", i.ImageLocation ?? $"{i.OwnerAccountId}/{i.Name}"),
            E("imageState", state),
            E("imageOwnerId", i.OwnerAccountId),
            Opt("imageOwnerAlias", i.OwnerAlias),
            E("creationDate", Time(i.CreationDate)),
            E("isPublic", Bool(i.IsPublic)),
            E("architecture", i.Architecture),
            E("imageType", "machine"),
            Opt("kernelId", i.KernelId),
            Opt("ramdiskId", i.RamdiskId),
            Opt("platform", i.Platform),
            E("platformDetails", i.Platform == "windows" ? "Windows" : "Linux/UNIX"),
            E("usageOperation", i.Platform == "windows" ? "RunInstances:0002" : "RunInstances"),
            Opt("sriovNetSupport", i.SriovNetSupport),
            state == "failed" ? E("stateReason", new object[] { E("code", "Client.InvalidSnapshot.NotFound"), E("message", "failed") }) : null,
            E("name", i.Name),
            Opt("description", i.Description),
            E("rootDeviceType", i.RootDeviceType),
            Opt("rootDeviceName", i.RootDeviceName),
            E("blockDeviceMapping", i.BlockDevices.Select(BlockDevice)),
            E("virtualizationType", i.VirtualizationType),
            TagSet(i.Tags),
            E("hypervisor", "xen"),
            i.EnaSupport is { } ena ? E("enaSupport", Bool(ena)) : null,
            Opt("bootMode", i.BootMode),
            Opt("imdsSupport", i.ImdsSupport),
            i.DeprecationTime is { } deprecation ? E("deprecationTime", Time(deprecation)) : null,
            Opt("sourceInstanceId", i.SourceInstanceId),
            Opt("sourceImageId", i.SourceImageId),
            Opt("sourceImageRegion", i.SourceImageRegion),
            E("deregistrationProtection", "disabled"));
    }

    public static XElement BlockDevice(BlockDeviceRecord b) => Ec2Xml.Item(
        E("deviceName", b.DeviceName),
        Opt("virtualName", b.VirtualName),
        b.VirtualName is null
            ? E("ebs", new object?[]
            {
                Opt("snapshotId", b.SnapshotId),
                Opt("volumeSize", b.VolumeSize),
                E("deleteOnTermination", Bool(b.DeleteOnTermination)),
                Opt("volumeType", b.VolumeType),
                b.Encrypted is { } encrypted ? E("encrypted", Bool(encrypted)) : null,
                Opt("kmsKeyId", b.KmsKeyId),
            })
            : null);
}
