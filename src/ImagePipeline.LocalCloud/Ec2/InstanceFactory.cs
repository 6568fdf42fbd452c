using ImagePipeline.LocalCloud.Storage;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>Builds instances with their volumes, and the four every region starts with.</summary>
internal static class InstanceFactory
{
    /// <summary>Seeds a region the first time anything looks at it. Call under the state gate.</summary>
    public static RegionState Region(CloudState state, string region, DateTimeOffset now)
    {
        if (!state.Regions.TryGetValue(region, out var regionState))
        {
            regionState = new RegionState();
            state.Regions[region] = regionState;
        }

        if (!regionState.Seeded)
        {
            regionState.Seeded = true;
            SeedBaseImages(regionState, region, now);
            Create(regionState, new InstanceSeed { Region = region, InstanceId = LocalCloudSeedIds.LinuxEbsInstanceId, Tags = new Dictionary<string, string> { ["Name"] = "localcloud-linux-ebs" } }, now);
            Create(regionState, new InstanceSeed { Region = region, InstanceId = LocalCloudSeedIds.WindowsEbsInstanceId, Platform = "windows", InstanceType = "t3.large", Tags = new Dictionary<string, string> { ["Name"] = "localcloud-windows-ebs" } }, now);
            Create(regionState, new InstanceSeed { Region = region, InstanceId = LocalCloudSeedIds.LinuxInstanceStoreInstanceId, RootDeviceType = "instance-store", InstanceType = "m3.medium", Tags = new Dictionary<string, string> { ["Name"] = "localcloud-linux-instance-store" } }, now);
            Create(regionState, new InstanceSeed { Region = region, InstanceId = LocalCloudSeedIds.WindowsInstanceStoreInstanceId, Platform = "windows", RootDeviceType = "instance-store", InstanceType = "m3.medium", Tags = new Dictionary<string, string> { ["Name"] = "localcloud-windows-instance-store" } }, now);
        }

        return regionState;
    }

    /// <summary>The public Amazon-owned images the seeded instances were launched from.</summary>
    private static void SeedBaseImages(RegionState region, string regionName, DateTimeOffset now)
    {
        void Add(string id, string owner, string name, string? platform, bool ebs, string rootDevice, int size)
        {
            var image = new ImageRecord
            {
                ImageId = id,
                Region = regionName,
                OwnerAccountId = owner,
                OwnerAlias = "amazon",
                Name = name,
                Description = name,
                ImageLocation = ebs ? $"amazon/{name}" : $"{(platform is null ? "amzn-ami-us-east-1" : "ec2-windows-images")}/{name}.manifest.xml",
                Platform = platform,
                RootDeviceType = ebs ? "ebs" : "instance-store",
                RootDeviceName = rootDevice,
                VirtualizationType = ebs ? "hvm" : "paravirtual",
                EnaSupport = ebs,
                BootMode = ebs && platform is null ? "uefi-preferred" : null,
                CreationDate = now,
                IsPublic = true,
                Timeline = StateTimeline.Starting(now, "available"),
            };
            if (ebs)
            {
                var snapshotId = "snap-0000000000000" + id[^4..];
                region.Snapshots[snapshotId] = new SnapshotRecord
                {
                    SnapshotId = snapshotId,
                    Region = regionName,
                    OwnerAccountId = owner,
                    VolumeSize = size,
                    Description = name,
                    StartTime = now,
                    CompletesAt = now,
                    Timeline = StateTimeline.Starting(now, "completed"),
                };
                image.BlockDevices.Add(new BlockDeviceRecord { DeviceName = rootDevice, SnapshotId = snapshotId, VolumeSize = size, VolumeType = "gp3", Encrypted = false });
            }
            else
            {
                image.BlockDevices.Add(new BlockDeviceRecord { DeviceName = "/dev/sdb", VirtualName = "ephemeral0" });
            }

            region.Images[id] = image;
        }

        Add("ami-0000000000000b001", "137112412989", "al2023-ami-2023.6.20261110.0-kernel-6.1-x86_64", null, true, "/dev/xvda", 8);
        Add("ami-0000000000000b002", "801119661308", "Windows_Server-2022-English-Full-Base-2026.11.12", "windows", true, "/dev/sda1", 30);
        Add("ami-0000000000000b003", "137112412989", "amzn-ami-pv-2018.03.0.20231218.0-x86_64-s3", null, false, "/dev/sda1", 10);
        Add("ami-0000000000000b004", "801119661308", "Windows_Server-2012-R2-English-64Bit-Base-InstanceStore-2016.01.01", "windows", false, "/dev/sda1", 30);
    }

    public static InstanceRecord Create(RegionState region, InstanceSeed seed, DateTimeOffset now)
    {
        var regionName = seed.Region;
        var windows = seed.Platform == "windows";
        var ebs = seed.RootDeviceType == "ebs";
        var instance = new InstanceRecord
        {
            InstanceId = seed.InstanceId ?? ResourceIds.New("i"),
            Region = regionName,
            OwnerAccountId = seed.OwnerAccountId,
            ImageId = windows ? (ebs ? "ami-0000000000000b002" : "ami-0000000000000b004") : (ebs ? "ami-0000000000000b001" : "ami-0000000000000b003"),
            ReservationId = ResourceIds.New("r"),
            InstanceType = seed.InstanceType,
            Platform = windows ? "windows" : null,
            RootDeviceType = ebs ? "ebs" : "instance-store",
            RootDeviceName = windows || !ebs ? "/dev/sda1" : "/dev/xvda",
            VirtualizationType = ebs ? "hvm" : "paravirtual",
            LaunchTime = now,
            PrivateIpAddress = $"10.0.{region.Instances.Count / 250}.{10 + (region.Instances.Count % 240)}",
            Timeline = StateTimeline.Starting(now, seed.State),
            Tags = [.. seed.Tags.Select(t => new Tag(t.Key, t.Value))],
        };
        if (ebs)
        {
            instance.BlockDevices.Add(AttachVolume(region, instance, instance.RootDeviceName, windows ? 30 : 8, now));
            if (windows)
            {
                instance.BlockDevices.Add(AttachVolume(region, instance, "/dev/xvdf", 10, now));
            }
        }
        else
        {
            instance.BlockDevices.Add(new BlockDeviceRecord { DeviceName = instance.RootDeviceName, VirtualName = "ephemeral0" });
        }

        region.Instances[instance.InstanceId] = instance;
        return instance;
    }

    private static BlockDeviceRecord AttachVolume(RegionState region, InstanceRecord instance, string device, int size, DateTimeOffset now)
    {
        var volume = new VolumeRecord
        {
            VolumeId = instance.InstanceId.StartsWith("i-0000000000000a", StringComparison.Ordinal)
                ? "vol-000000000000" + instance.InstanceId[^4..] + (device == "/dev/xvdf" ? "f" : "0")
                : ResourceIds.New("vol"),
            Region = instance.Region,
            Size = size,
            AvailabilityZone = instance.Region + "a",
            CreatedAt = now,
            InstanceId = instance.InstanceId,
            Device = device,
            OwnerAccountId = instance.OwnerAccountId,
        };
        region.Volumes[volume.VolumeId] = volume;
        return new BlockDeviceRecord { DeviceName = device, VolumeId = volume.VolumeId, VolumeSize = size, VolumeType = volume.VolumeType };
    }
}
