using System.Xml.Linq;
using ImagePipeline.LocalCloud.Storage;
using static ImagePipeline.LocalCloud.Ec2.Ec2Xml;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>AMIs: CreateImage, RegisterImage (manifest or snapshots), DescribeImages, DeregisterImage, CopyImage.</summary>
internal sealed class ImageOperations(LocalCloudOptions options, ManifestReader manifests, SnapshotOperations snapshots)
{
    private static readonly string[] VolumeTypes = ["standard", "gp2", "gp3", "io1", "io2", "st1", "sc1"];
    private readonly SnapshotOperations _snapshots = snapshots;

    /// <summary>Images the caller may see with these ids, or InvalidAMIID.Malformed / .NotFound.</summary>
    public static List<ImageRecord> FindVisible(Ec2Call call, IReadOnlyCollection<string> ids, RegionState? region = null)
    {
        region ??= call.Region;
        foreach (var id in ids)
        {
            Ec2Ids.RequireImageId(id);
        }

        var missing = ids.Where(id => !region.Images.TryGetValue(id, out var image) || image.Deregistered || !CanSee(image, call.Caller.AccountId)).ToList();
        if (missing.Count > 0)
        {
            throw Ec2Errors.ImageNotFound(missing);
        }

        return [.. ids.Distinct().Select(id => region.Images[id])];
    }

    /// <summary>The caller's own image, or NotFound when invisible and AuthFailure when visible but not owned.</summary>
    public static ImageRecord FindOwned(Ec2Call call, string id)
    {
        var image = FindVisible(call, [id]).Single();
        if (image.OwnerAccountId != call.Caller.AccountId)
        {
            throw Ec2Errors.AuthFailure($"Not authorized for image:{id}");
        }

        return image;
    }

    private static bool CanSee(ImageRecord image, string account) =>
        image.OwnerAccountId == account || image.IsPublic || image.LaunchPermissionUserIds.Contains(account);

    public XElement CreateImage(Ec2Call call)
    {
        var instanceId = call.Query.Require("InstanceId");
        var name = call.Query.Require("Name");
        var instance = InstanceOperations.Find(call, [instanceId]).Single();
        ImageNameRules.Check(name);
        CheckDescription(call.Query.Get("Description"));
        var state = instance.Timeline.StateAt(call.Now);
        if (instance.RootDeviceType != "ebs")
        {
            throw Ec2Errors.Error("InvalidParameterValue", $"The instance '{instanceId}' does not have an 'ebs' root device type and cannot be used to create an EBS-backed AMI. Bundle an instance store-backed instance and use RegisterImage instead.");
        }

        if (state is not ("running" or "stopped"))
        {
            throw Ec2Errors.IncorrectInstanceState($"The instance '{instanceId}' is not in the 'running' or 'stopped' state.");
        }

        CheckUniqueName(call, call.Region, name);
        var tagSpecs = call.Query.TagSpecifications("image", "snapshot");
        var overrides = call.Query.BlockDeviceMappings();
        foreach (var o in overrides)
        {
            if (!instance.BlockDevices.Any(b => b.DeviceName == o.DeviceName) && !o.NoDevice && o.VirtualName is null && o.SnapshotId is null && o.VolumeSize is null)
            {
                throw Ec2Errors.Error("InvalidBlockDeviceMapping", $"The device '{o.DeviceName}' is not attached to instance '{instanceId}'; give a snapshot or a size for a new volume.");
            }

            if (o.NoDevice && o.DeviceName == instance.RootDeviceName)
            {
                throw Ec2Errors.Error("InvalidBlockDeviceMapping", $"The root device '{o.DeviceName}' cannot be suppressed with NoDevice.");
            }
        }

        var noReboot = call.Query.Bool("NoReboot");
        var imageId = ResourceIds.New("ami");
        var devices = new List<BlockDeviceRecord>();
        foreach (var device in instance.BlockDevices)
        {
            var o = overrides.FirstOrDefault(x => x.DeviceName == device.DeviceName);
            if (o is { NoDevice: true })
            {
                continue;
            }

            var size = device.VolumeSize ?? 8;
            if (o?.VolumeSize is { } requested)
            {
                if (requested < size)
                {
                    throw Ec2Errors.Error("InvalidBlockDeviceMapping", $"Volume of size {requested}GB is smaller than snapshot '{device.VolumeId}', expect size >= {size}GB");
                }

                size = requested;
            }

            var volumeType = o?.VolumeType ?? device.VolumeType ?? "gp3";
            if (!VolumeTypes.Contains(volumeType))
            {
                throw Ec2Errors.InvalidParameterValue($"Value ({volumeType}) for parameter volumeType is invalid. Valid values: {string.Join(", ", VolumeTypes)}");
            }

            if (o?.Encrypted is { } encrypt && encrypt != (device.Encrypted ?? false))
            {
                throw Ec2Errors.InvalidParameterCombination("CreateImage cannot change the encryption of existing volumes; use CopyImage with Encrypted instead.");
            }

            var snapshot = _snapshots.NewSnapshot(
                call,
                call.Region,
                call.Caller.Region,
                device.VolumeId ?? "vol-ffffffff",
                device.VolumeSize ?? size,
                $"Created by CreateImage({instanceId}) for {imageId}",
                device.Encrypted ?? false,
                device.KmsKeyId,
                tagSpecs.GetValueOrDefault("snapshot") ?? []);
            devices.Add(new BlockDeviceRecord
            {
                DeviceName = device.DeviceName,
                SnapshotId = snapshot.SnapshotId,
                VolumeSize = size,
                VolumeType = volumeType,
                DeleteOnTermination = o?.DeleteOnTermination ?? device.DeleteOnTermination,
                Encrypted = device.Encrypted ?? false,
            });
        }

        foreach (var extra in overrides.Where(o => !o.NoDevice && instance.BlockDevices.All(b => b.DeviceName != o.DeviceName)))
        {
            devices.Add(new BlockDeviceRecord { DeviceName = extra.DeviceName, VirtualName = extra.VirtualName, VolumeSize = extra.VolumeSize, VolumeType = extra.VirtualName is null ? extra.VolumeType ?? "gp3" : null, SnapshotId = extra.SnapshotId });
        }

        // Without NoReboot EC2 shuts a running instance down for the snapshots and starts it again.
        var delay = options.ImageAvailableDelay;
        if (!noReboot && state == "running")
        {
            var step = options.InstanceTransitionDelay;
            instance.Timeline.Schedule(call.Now, (TimeSpan.Zero, "stopping"), (step, "stopped"), (step * 2, "pending"), (step * 3, "running"));
            delay = delay > step * 2 ? delay : step * 2;
        }

        var image = new ImageRecord
        {
            ImageId = imageId,
            Region = call.Caller.Region,
            OwnerAccountId = call.Caller.AccountId,
            Name = name,
            Description = call.Query.Get("Description"),
            Architecture = instance.Architecture,
            Platform = instance.Platform,
            RootDeviceType = "ebs",
            RootDeviceName = instance.RootDeviceName,
            VirtualizationType = instance.VirtualizationType,
            EnaSupport = true,
            SriovNetSupport = "simple",
            BootMode = instance.Platform == "windows" ? "uefi" : null,
            CreationDate = call.Now,
            SourceInstanceId = instanceId,
            BlockDevices = devices,
            Tags = tagSpecs.GetValueOrDefault("image") ?? [],
            Timeline = StateTimeline.Starting(call.Now, "pending"),
        };
        image.Timeline.Schedule(call.Now, (delay, "available"));
        call.Region.Images[imageId] = image;
        return call.Response(E("imageId", imageId));
    }

    public XElement RegisterImage(Ec2Call call)
    {
        var name = call.Query.Require("Name");
        ImageNameRules.Check(name);
        CheckDescription(call.Query.Get("Description"));
        var location = call.Query.Get("ImageLocation");
        var rootDevice = call.Query.Get("RootDeviceName");
        var mappings = call.Query.BlockDeviceMappings();
        var architecture = call.Query.Get("Architecture");
        if (architecture is not (null or "i386" or "x86_64" or "arm64" or "x86_64_mac" or "arm64_mac"))
        {
            throw Ec2Errors.InvalidParameterValue($"Value ({architecture}) for parameter architecture is invalid. Valid values: i386, x86_64, arm64");
        }

        var virtualization = call.Query.Get("VirtualizationType") ?? "paravirtual";
        if (virtualization is not ("hvm" or "paravirtual"))
        {
            throw Ec2Errors.InvalidParameterValue($"Value ({virtualization}) for parameter virtualizationType is invalid. Valid values: hvm, paravirtual");
        }

        var bootMode = call.Query.Get("BootMode");
        if (bootMode is not (null or "legacy-bios" or "uefi" or "uefi-preferred"))
        {
            throw Ec2Errors.InvalidParameterValue($"Value ({bootMode}) for parameter bootMode is invalid. Valid values: legacy-bios, uefi, uefi-preferred");
        }

        var imds = call.Query.Get("ImdsSupport");
        if (imds is not (null or "v2.0"))
        {
            throw Ec2Errors.InvalidParameterValue($"Value ({imds}) for parameter imdsSupport is invalid. Valid values: v2.0");
        }

        var sriov = call.Query.Get("SriovNetSupport");
        if (sriov is not (null or "simple"))
        {
            throw Ec2Errors.InvalidParameterValue($"Value ({sriov}) for parameter sriovNetSupport is invalid. Valid values: simple");
        }

        var tags = call.Query.TagSpecifications("image").GetValueOrDefault("image") ?? [];
        CheckUniqueName(call, call.Region, name);
        var image = new ImageRecord
        {
            ImageId = ResourceIds.New("ami"),
            Region = call.Caller.Region,
            OwnerAccountId = call.Caller.AccountId,
            Name = name,
            Description = call.Query.Get("Description"),
            VirtualizationType = virtualization,
            BootMode = bootMode,
            EnaSupport = call.Query.OptionalBool("EnaSupport"),
            ImdsSupport = imds,
            SriovNetSupport = sriov,
            KernelId = call.Query.Get("KernelId"),
            RamdiskId = call.Query.Get("RamdiskId"),
            CreationDate = call.Now,
            Tags = tags,
            Timeline = StateTimeline.Starting(call.Now, "pending"),
        };

        if (!string.IsNullOrEmpty(location))
        {
            if (mappings.Any(m => m.SnapshotId is not null))
            {
                throw Ec2Errors.InvalidParameterCombination("ImageLocation cannot be combined with an EBS snapshot block device mapping.");
            }

            var manifest = manifests.Read(call.Caller, location);
            image.ImageLocation = location;
            image.RootDeviceType = "instance-store";
            image.Architecture = architecture ?? manifest.Architecture;
            image.KernelId ??= manifest.KernelId;
            image.RamdiskId ??= manifest.RamdiskId;
            var root = manifest.Mappings.FirstOrDefault(m => m.Virtual == "root").Device;
            image.RootDeviceName = rootDevice ?? (root is { Length: > 0 } ? root : "/dev/sda1");
            image.BlockDevices = [.. manifest.Mappings
                .Where(m => m.Virtual.StartsWith("ephemeral", StringComparison.Ordinal))
                .Select(m => new BlockDeviceRecord { DeviceName = m.Device.StartsWith('/') ? m.Device : "/dev/" + m.Device, VirtualName = m.Virtual })];
        }
        else
        {
            if (rootDevice is null)
            {
                throw Ec2Errors.MissingParameter("RootDeviceName");
            }

            var rootMapping = mappings.FirstOrDefault(m => m.DeviceName == rootDevice);
            if (rootMapping?.SnapshotId is null)
            {
                throw Ec2Errors.Error("InvalidBlockDeviceMapping", $"The root device name '{rootDevice}' must have a block device mapping with an EBS snapshot.");
            }

            image.RootDeviceType = "ebs";
            image.RootDeviceName = rootDevice;
            image.Architecture = architecture ?? "i386";
            foreach (var m in mappings.Where(m => !m.NoDevice))
            {
                if (m.SnapshotId is { } snapshotId)
                {
                    Ec2Ids.RequireSnapshotId(snapshotId);
                    if (!call.Region.Snapshots.TryGetValue(snapshotId, out var snapshot) || snapshot.OwnerAccountId != call.Caller.AccountId)
                    {
                        throw Ec2Errors.SnapshotNotFound(snapshotId);
                    }

                    if (m.VolumeSize is { } size && size < snapshot.VolumeSize)
                    {
                        throw Ec2Errors.Error("InvalidBlockDeviceMapping", $"Volume of size {size}GB is smaller than snapshot '{snapshotId}', expect size >= {snapshot.VolumeSize}GB");
                    }

                    image.BlockDevices.Add(new BlockDeviceRecord
                    {
                        DeviceName = m.DeviceName,
                        SnapshotId = snapshotId,
                        VolumeSize = m.VolumeSize ?? snapshot.VolumeSize,
                        VolumeType = m.VolumeType ?? "standard",
                        DeleteOnTermination = m.DeleteOnTermination ?? true,
                        Encrypted = snapshot.Encrypted,
                        KmsKeyId = snapshot.KmsKeyId,
                    });
                }
                else
                {
                    image.BlockDevices.Add(new BlockDeviceRecord { DeviceName = m.DeviceName, VirtualName = m.VirtualName, VolumeSize = m.VolumeSize, VolumeType = m.VirtualName is null ? m.VolumeType ?? "standard" : null });
                }
            }
        }

        image.Timeline.Schedule(call.Now, (options.ImageAvailableDelay, "available"));
        call.Region.Images[image.ImageId] = image;
        return call.Response(E("imageId", image.ImageId));
    }

    public XElement DescribeImages(Ec2Call call)
    {
        var ids = call.Query.List("ImageId");
        var owners = call.Query.List("Owner");
        var executableBy = call.Query.List("ExecutableBy");
        var includeDeprecated = call.Query.Bool("IncludeDeprecated");
        // Disabling images is not modelled, so IncludeDisabled changes nothing; it is still checked as a boolean.
        call.Query.Bool("IncludeDisabled");
        var filters = call.Query.Filters();
        var account = call.Caller.AccountId;
        foreach (var owner in owners)
        {
            if (owner is not ("self" or "amazon" or "aws-marketplace" or "aws-backup-vault") && !(owner.Length == 12 && owner.All(char.IsAsciiDigit)))
            {
                throw Ec2Errors.InvalidParameterValue($"Invalid owner: {owner}");
            }
        }

        IEnumerable<ImageRecord> images = ids.Count > 0
            ? FindVisible(call, ids)
            : call.Region.Images.Values.Where(i => !i.Deregistered && CanSee(i, account));
        images = images
            .Where(i => owners.Count == 0 || owners.Any(o => (o == "self" ? account : o) == i.OwnerAccountId || (o == i.OwnerAlias && o is ("amazon" or "aws-marketplace"))))
            .Where(i => executableBy.Count == 0 || executableBy.Any(e => e switch
            {
                "all" => i.IsPublic,
                "self" => i.OwnerAccountId == account || i.IsPublic || i.LaunchPermissionUserIds.Contains(account),
                _ => i.LaunchPermissionUserIds.Contains(e) || i.IsPublic,
            }))
            .Where(i => ids.Count > 0 || includeDeprecated || i.OwnerAccountId == account || i.DeprecationTime is not { } d || d > call.Now)
            .Where(i => Ec2Filters.Matches(filters, name => Attribute(i, name, call.Now), i.Tags));
        var (page, next) = Ec2Paging.Apply(call, images.ToList(), 1, 1000, null);
        return call.Response(new XElement(Ns + "imagesSet", page.Select(i => ImageXml.Item(i, call.Now))), next);
    }

    public XElement DeregisterImage(Ec2Call call)
    {
        var image = FindOwned(call, call.Query.Require("ImageId"));
        image.Deregistered = true;
        if (call.Query.Bool("DeleteAssociatedSnapshots"))
        {
            foreach (var device in image.BlockDevices.Where(b => b.SnapshotId is not null))
            {
                call.Region.Snapshots.Remove(device.SnapshotId!);
            }
        }

        return call.Return();
    }

    public XElement CopyImage(Ec2Call call) => call.Response(E("imageId", call.Idempotent(() => CopyImageOnce(call), id => call.Region.Images.TryGetValue(id, out var image) && !image.Deregistered)));

    private string CopyImageOnce(Ec2Call call)
    {
        var sourceRegion = call.Query.Require("SourceRegion");
        var sourceImageId = call.Query.Require("SourceImageId");
        var name = call.Query.Require("Name");
        ImageNameRules.Check(name);
        CheckDescription(call.Query.Get("Description"));
        if (!LocalCloudSeedIds.Regions.Contains(sourceRegion))
        {
            throw Ec2Errors.InvalidParameterValue($"Invalid source region: {sourceRegion}");
        }

        var encrypted = call.Query.Bool("Encrypted");
        var kmsKeyId = call.Query.Get("KmsKeyId");
        if (kmsKeyId is not null && !encrypted)
        {
            throw Ec2Errors.InvalidParameterCombination("KmsKeyId can only be specified when Encrypted is true.");
        }

        var source = FindVisible(call, [sourceImageId], call.RegionNamed(sourceRegion)).Single();
        if (source.Timeline.StateAt(call.Now) != "available")
        {
            throw Ec2Errors.Error("IncorrectState", $"Image {sourceImageId} is not in a valid state for copying: {source.Timeline.StateAt(call.Now)}.");
        }

        CheckUniqueName(call, call.Region, name);
        // As EC2 documents for CopyImage: "image" tags the new AMI, "snapshot" tags every new snapshot alike.
        var tagSpecs = call.Query.TagSpecifications("image", "snapshot");
        var tags = tagSpecs.GetValueOrDefault("image") ?? [];
        var snapshotTags = tagSpecs.GetValueOrDefault("snapshot") ?? [];
        var copyTags = call.Query.Bool("CopyImageTags");
        var imageId = ResourceIds.New("ami");
        var devices = new List<BlockDeviceRecord>();
        foreach (var device in source.BlockDevices)
        {
            if (device.SnapshotId is null)
            {
                devices.Add(Clone(device));
                continue;
            }

            var makeEncrypted = encrypted || (device.Encrypted ?? false);
            var key = makeEncrypted ? kmsKeyId ?? device.KmsKeyId ?? $"arn:aws:kms:{call.Caller.Region}:{call.Caller.AccountId}:alias/aws/ebs" : null;
            var snapshot = _snapshots.NewSnapshot(call, call.Region, call.Caller.Region, "vol-ffffffff", device.VolumeSize ?? 8, $"Copied for DestinationAmi {imageId} from SourceAmi {sourceImageId} for SourceSnapshot {device.SnapshotId}", makeEncrypted, key, snapshotTags);
            var copy = Clone(device);
            copy.SnapshotId = snapshot.SnapshotId;
            copy.Encrypted = makeEncrypted;
            copy.KmsKeyId = key;
            devices.Add(copy);
        }

        var image = new ImageRecord
        {
            ImageId = imageId,
            Region = call.Caller.Region,
            OwnerAccountId = call.Caller.AccountId,
            Name = name,
            Description = call.Query.Get("Description") ?? source.Description,
            ImageLocation = source.ImageLocation,
            Architecture = source.Architecture,
            Platform = source.Platform,
            RootDeviceType = source.RootDeviceType,
            RootDeviceName = source.RootDeviceName,
            VirtualizationType = source.VirtualizationType,
            BootMode = source.BootMode,
            EnaSupport = source.EnaSupport,
            ImdsSupport = source.ImdsSupport,
            SriovNetSupport = source.SriovNetSupport,
            CreationDate = call.Now,
            SourceImageId = sourceImageId,
            SourceImageRegion = sourceRegion,
            BlockDevices = devices,
            Tags = [.. (copyTags ? source.Tags.Where(t => tags.All(n => n.Key != t.Key)) : []), .. tags],
            Timeline = StateTimeline.Starting(call.Now, "pending"),
        };
        var delay = options.ImageAvailableDelay > options.SnapshotCompletionDelay ? options.ImageAvailableDelay : options.SnapshotCompletionDelay;
        image.Timeline.Schedule(call.Now, (delay, "available"));
        call.Region.Images[imageId] = image;
        return imageId;
    }

    private static BlockDeviceRecord Clone(BlockDeviceRecord b) => new()
    {
        DeviceName = b.DeviceName,
        VolumeId = b.VolumeId,
        SnapshotId = b.SnapshotId,
        VolumeSize = b.VolumeSize,
        VolumeType = b.VolumeType,
        DeleteOnTermination = b.DeleteOnTermination,
        Encrypted = b.Encrypted,
        KmsKeyId = b.KmsKeyId,
        VirtualName = b.VirtualName,
    };

    private static void CheckUniqueName(Ec2Call call, RegionState region, string name)
    {
        var existing = region.Images.Values.FirstOrDefault(i => !i.Deregistered && i.OwnerAccountId == call.Caller.AccountId && i.Name == name);
        if (existing is not null)
        {
            throw Ec2Errors.Error("InvalidAMIName.Duplicate", $"AMI name {name} is already in use by AMI {existing.ImageId}");
        }
    }

    private static void CheckDescription(string? description)
    {
        if (description is { Length: > 255 })
        {
            throw Ec2Errors.InvalidParameterValue("Description must be at most 255 characters long.");
        }
    }

    private static IEnumerable<string?>? Attribute(ImageRecord i, string name, DateTimeOffset now) => name switch
    {
        "image-id" => [i.ImageId],
        "name" => [i.Name],
        "description" => [i.Description],
        "state" => [i.Timeline.StateAt(now)],
        "owner-id" => [i.OwnerAccountId],
        "owner-alias" => [i.OwnerAlias],
        "image-type" => ["machine"],
        "is-public" => [Bool(i.IsPublic)],
        "architecture" => [i.Architecture],
        "platform" => [i.Platform],
        "root-device-type" => [i.RootDeviceType],
        "root-device-name" => [i.RootDeviceName],
        "virtualization-type" => [i.VirtualizationType],
        "manifest-location" => [i.ImageLocation],
        "hypervisor" => ["xen"],
        "ena-support" => [i.EnaSupport is { } e ? Bool(e) : null],
        "boot-mode" => [i.BootMode],
        "creation-date" => [Time(i.CreationDate)],
        "source-instance-id" => [i.SourceInstanceId],
        "block-device-mapping.snapshot-id" => i.BlockDevices.Select(b => b.SnapshotId),
        "block-device-mapping.device-name" => i.BlockDevices.Select(b => b.DeviceName),
        "block-device-mapping.volume-type" => i.BlockDevices.Select(b => b.VolumeType),
        "block-device-mapping.encrypted" => i.BlockDevices.Select(b => b.Encrypted is { } e ? Bool(e) : null),
        _ => null,
    };
}
