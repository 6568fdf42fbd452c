using ImagePipeline.LocalCloud.Storage;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>
/// The public images owned by Amazon (owner alias <c>amazon</c>) every region has, with fixed ids, names and creation
/// dates, so a name filter with several matches has a most recent one. Seeded when missing.
/// </summary>
internal static class BaseImages
{
    public const string AmazonLinuxOwner = "137112412989";
    public const string WindowsOwner = "801119661308";

    private sealed record BaseImage(string Id, string Owner, string Name, string? Platform, string Architecture, bool Ebs, string RootDevice, int Size, DateTimeOffset Created);

    private static readonly BaseImage[] All =
    [
        new(LocalCloudSeedIds.LinuxEbsImageId, AmazonLinuxOwner, "al2023-ami-2023.6.20241111.0-kernel-6.1-x86_64", null, "x86_64", true, "/dev/xvda", 8, Date(2024, 11, 11)),
        new(LocalCloudSeedIds.WindowsEbsImageId, WindowsOwner, "Windows_Server-2022-English-Full-Base-2024.10.09", "windows", "x86_64", true, "/dev/sda1", 30, Date(2024, 10, 9)),
        new(LocalCloudSeedIds.LinuxInstanceStoreImageId, AmazonLinuxOwner, "amzn-ami-hvm-2018.03.0.20231218.0-x86_64-s3", null, "x86_64", false, "/dev/xvda", 10, Date(2023, 12, 18)),
        new(LocalCloudSeedIds.WindowsInstanceStoreImageId, WindowsOwner, "Windows_Server-2012-R2-English-64Bit-Base-InstanceStore-2016.01.01", "windows", "x86_64", false, "/dev/sda1", 30, Date(2016, 1, 1)),
        new(LocalCloudSeedIds.OlderLinuxEbsImageId, AmazonLinuxOwner, "al2023-ami-2023.6.20241010.0-kernel-6.1-x86_64", null, "x86_64", true, "/dev/xvda", 8, Date(2024, 10, 10)),
        new(LocalCloudSeedIds.LinuxArmEbsImageId, AmazonLinuxOwner, "al2023-ami-2023.6.20241111.0-kernel-6.1-arm64", null, "arm64", true, "/dev/xvda", 8, Date(2024, 11, 11)),
    ];

    public static void Ensure(RegionState region, string regionName)
    {
        foreach (var b in All.Where(b => !region.Images.ContainsKey(b.Id)))
        {
            var image = new ImageRecord
            {
                ImageId = b.Id,
                Region = regionName,
                OwnerAccountId = b.Owner,
                OwnerAlias = "amazon",
                Name = b.Name,
                Description = b.Name,
                ImageLocation = b.Ebs ? $"amazon/{b.Name}" : $"{(b.Platform is null ? "amzn-ami-" + regionName : "ec2-windows-images")}/{b.Name}.manifest.xml",
                Architecture = b.Architecture,
                Platform = b.Platform,
                RootDeviceType = b.Ebs ? "ebs" : "instance-store",
                RootDeviceName = b.RootDevice,
                VirtualizationType = "hvm",
                EnaSupport = b.Ebs,
                BootMode = b.Ebs && b.Platform is null ? "uefi-preferred" : null,
                CreationDate = b.Created,
                IsPublic = true,
                Timeline = StateTimeline.Starting(b.Created, "available"),
            };
            if (b.Ebs)
            {
                var snapshotId = "snap-0000000000000" + b.Id[^4..];
                region.Snapshots[snapshotId] = new SnapshotRecord
                {
                    SnapshotId = snapshotId,
                    Region = regionName,
                    OwnerAccountId = b.Owner,
                    VolumeSize = b.Size,
                    Description = b.Name,
                    StartTime = b.Created,
                    CompletesAt = b.Created,
                    Timeline = StateTimeline.Starting(b.Created, "completed"),
                };
                image.BlockDevices.Add(new BlockDeviceRecord { DeviceName = b.RootDevice, SnapshotId = snapshotId, VolumeSize = b.Size, VolumeType = "gp3", Encrypted = false });
            }
            else
            {
                image.BlockDevices.Add(new BlockDeviceRecord { DeviceName = "/dev/sdb", VirtualName = "ephemeral0" });
            }

            region.Images[b.Id] = image;
        }
    }

    private static DateTimeOffset Date(int year, int month, int day) => new(year, month, day, 9, 0, 0, TimeSpan.Zero);
}
