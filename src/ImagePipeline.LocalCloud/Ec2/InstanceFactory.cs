using ImagePipeline.LocalCloud.Storage;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>What a launch decided, beyond the image: where the instance goes and what it carries.</summary>
internal sealed record LaunchSpec
{
    public required string OwnerAccountId { get; init; }
    public required string InstanceType { get; init; }
    public required SubnetRecord Subnet { get; init; }
    public required IReadOnlyList<string> SecurityGroupIds { get; init; }
    public string? InstanceId { get; init; }
    public string ReservationId { get; init; } = ResourceIds.New("r");
    public string State { get; init; } = "running";
    public bool AssociatePublicIp { get; init; }
    public string? KeyName { get; init; }
    public string? IamInstanceProfileArn { get; init; }
    public string? ClientToken { get; init; }
    public IReadOnlyList<Tag> Tags { get; init; } = [];
    public IReadOnlyList<Tag> VolumeTags { get; init; } = [];

    /// <summary>The address every launched instance answers on (<see cref="LocalCloudOptions.InstanceSshAddress"/>), or null for made-up ones.</summary>
    public string? FixedAddress { get; init; }

    public bool SsmManaged { get; init; }
}

/// <summary>Builds instances from images with their volumes, and the four every region starts with.</summary>
internal static class InstanceFactory
{
    /// <summary>Seeds a region the first time anything looks at it, and adds what older versions did not seed. Call under the state gate.</summary>
    public static RegionState Region(CloudState state, string region, DateTimeOffset now)
    {
        if (!state.Regions.TryGetValue(region, out var regionState))
        {
            regionState = new RegionState();
            state.Regions[region] = regionState;
        }

        BaseImages.Ensure(regionState, region);
        DefaultNetwork.Ensure(regionState, region);
        if (!regionState.Seeded)
        {
            regionState.Seeded = true;
            Create(regionState, new InstanceSeed { Region = region, InstanceId = LocalCloudSeedIds.LinuxEbsInstanceId, Tags = new Dictionary<string, string> { ["Name"] = "localcloud-linux-ebs" } }, now);
            Create(regionState, new InstanceSeed { Region = region, InstanceId = LocalCloudSeedIds.WindowsEbsInstanceId, Platform = "windows", InstanceType = "t3.large", Tags = new Dictionary<string, string> { ["Name"] = "localcloud-windows-ebs" } }, now);
            Create(regionState, new InstanceSeed { Region = region, InstanceId = LocalCloudSeedIds.LinuxInstanceStoreInstanceId, RootDeviceType = "instance-store", InstanceType = "m3.medium", Tags = new Dictionary<string, string> { ["Name"] = "localcloud-linux-instance-store" } }, now);
            Create(regionState, new InstanceSeed { Region = region, InstanceId = LocalCloudSeedIds.WindowsInstanceStoreInstanceId, Platform = "windows", RootDeviceType = "instance-store", InstanceType = "m3.medium", Tags = new Dictionary<string, string> { ["Name"] = "localcloud-windows-instance-store" } }, now);
        }

        return regionState;
    }

    /// <summary>A seeded instance: launched from the matching base image into the owner's default subnet, SSM agent online.</summary>
    public static InstanceRecord Create(RegionState region, InstanceSeed seed, DateTimeOffset now)
    {
        var windows = seed.Platform == "windows";
        var ebs = seed.RootDeviceType == "ebs";
        var imageId = windows
            ? (ebs ? LocalCloudSeedIds.WindowsEbsImageId : LocalCloudSeedIds.WindowsInstanceStoreImageId)
            : (ebs ? LocalCloudSeedIds.LinuxEbsImageId : LocalCloudSeedIds.LinuxInstanceStoreImageId);
        var subnet = DefaultNetwork.DefaultSubnet(region, seed.OwnerAccountId)
            ?? throw new InvalidOperationException($"Account {seed.OwnerAccountId} has no default subnet in {seed.Region}.");
        var instance = Launch(region, region.Images[imageId], new LaunchSpec
        {
            OwnerAccountId = seed.OwnerAccountId,
            InstanceType = seed.InstanceType,
            Subnet = subnet,
            SecurityGroupIds = [DefaultNetwork.SecurityGroupId(seed.OwnerAccountId)],
            InstanceId = seed.InstanceId,
            State = seed.State,
            Tags = [.. seed.Tags.Select(t => new Tag(t.Key, t.Value))],
            SsmManaged = true,
        }, now);
        if (windows && ebs)
        {
            // The seeded Windows instance has a data volume, so the pipeline's handling of extra volumes is exercised.
            instance.BlockDevices.Add(AttachVolume(region, instance, "/dev/xvdf", 10, null, "gp3", [], deleteOnTermination: true));
        }

        return instance;
    }

    /// <summary>Creates one instance of an image as RunInstances does, after every check passed. Call under the state gate.</summary>
    public static InstanceRecord Launch(RegionState region, ImageRecord image, LaunchSpec spec, DateTimeOffset now)
    {
        var privateAddress = DefaultNetwork.NextPrivateAddress(spec.Subnet);
        var instance = new InstanceRecord
        {
            InstanceId = spec.InstanceId ?? ResourceIds.New("i"),
            Region = image.Region,
            OwnerAccountId = spec.OwnerAccountId,
            ImageId = image.ImageId,
            ReservationId = spec.ReservationId,
            InstanceType = spec.InstanceType,
            Platform = image.Platform,
            Architecture = image.Architecture,
            RootDeviceType = image.RootDeviceType,
            RootDeviceName = image.RootDeviceName ?? "/dev/sda1",
            VirtualizationType = image.VirtualizationType,
            EnaSupport = image.EnaSupport == true,
            BootMode = image.BootMode,
            LaunchTime = now,
            AvailabilityZone = spec.Subnet.AvailabilityZone,
            SubnetId = spec.Subnet.SubnetId,
            VpcId = spec.Subnet.VpcId,
            SecurityGroupIds = [.. spec.SecurityGroupIds],
            PrivateIpAddress = spec.FixedAddress ?? privateAddress,
            PublicIpAddress = spec.AssociatePublicIp ? spec.FixedAddress ?? PublicAddress(privateAddress) : null,
            KeyName = spec.KeyName,
            IamInstanceProfileArn = spec.IamInstanceProfileArn,
            ClientToken = spec.ClientToken,
            SsmManaged = spec.SsmManaged,
            Timeline = StateTimeline.Starting(now, spec.State),
            Tags = [.. spec.Tags],
        };
        foreach (var device in image.BlockDevices)
        {
            if (device.VirtualName is not null)
            {
                instance.BlockDevices.Add(new BlockDeviceRecord { DeviceName = device.DeviceName, VirtualName = device.VirtualName });
            }
            else if (image.RootDeviceType == "ebs")
            {
                instance.BlockDevices.Add(AttachVolume(region, instance, device.DeviceName, device.VolumeSize ?? 8, device.SnapshotId, device.VolumeType ?? "gp3", spec.VolumeTags, device.DeleteOnTermination));
            }
        }

        if (image.RootDeviceType != "ebs" && instance.BlockDevices.All(b => b.DeviceName != instance.RootDeviceName))
        {
            instance.BlockDevices.Insert(0, new BlockDeviceRecord { DeviceName = instance.RootDeviceName, VirtualName = "ephemeral0" });
        }

        region.Instances[instance.InstanceId] = instance;
        return instance;
    }

    /// <summary>A made-up public address in a documentation-looking range, derived from the private one.</summary>
    private static string PublicAddress(string privateAddress)
    {
        var parts = privateAddress.Split('.');
        return $"3.{parts[1]}.{parts[2]}.{parts[3]}";
    }

    private static BlockDeviceRecord AttachVolume(
        RegionState region, InstanceRecord instance, string device, int size, string? snapshotId, string volumeType, IReadOnlyList<Tag> tags, bool deleteOnTermination)
    {
        var volume = new VolumeRecord
        {
            VolumeId = instance.InstanceId.StartsWith("i-0000000000000a", StringComparison.Ordinal)
                ? "vol-000000000000" + instance.InstanceId[^4..] + (device == "/dev/xvdf" ? "f" : "0")
                : ResourceIds.New("vol"),
            Region = instance.Region,
            Size = size,
            VolumeType = volumeType,
            SnapshotId = snapshotId,
            AvailabilityZone = instance.AvailabilityZone ?? instance.Region + "a",
            CreatedAt = instance.LaunchTime,
            InstanceId = instance.InstanceId,
            Device = device,
            OwnerAccountId = instance.OwnerAccountId,
            DeleteOnTermination = deleteOnTermination,
            Tags = [.. tags],
        };
        region.Volumes[volume.VolumeId] = volume;
        return new BlockDeviceRecord { DeviceName = device, VolumeId = volume.VolumeId, VolumeSize = size, VolumeType = volume.VolumeType, DeleteOnTermination = deleteOnTermination };
    }
}
