namespace ImagePipeline.LocalCloud;

/// <summary>
/// The instances every region starts with (owned by <see cref="LocalCloudAccounts.AccountId"/>, all running) and the
/// public Amazon images it has. The ids are the same in each region so docs and tests can name them.
/// </summary>
public static class LocalCloudSeedIds
{
    /// <summary>EBS-backed Amazon Linux, root /dev/xvda (8 GiB gp3).</summary>
    public const string LinuxEbsInstanceId = "i-0000000000000a001";

    /// <summary>EBS-backed Windows (Platform=windows), root /dev/sda1 (30 GiB gp3) plus /dev/xvdf (10 GiB gp3).</summary>
    public const string WindowsEbsInstanceId = "i-0000000000000a002";

    /// <summary>Instance-store Linux, root /dev/sda1 on ephemeral0.</summary>
    public const string LinuxInstanceStoreInstanceId = "i-0000000000000a003";

    /// <summary>Instance-store Windows (Platform=windows), root /dev/sda1 on ephemeral0; the only BundleInstance target.</summary>
    public const string WindowsInstanceStoreInstanceId = "i-0000000000000a004";

    /// <summary>Amazon Linux 2023 x86_64, EBS (the newest of the two al2023 x86_64 images; owner alias amazon).</summary>
    public const string LinuxEbsImageId = "ami-0000000000000b001";

    /// <summary>Windows Server 2022, EBS (platform windows; owner alias amazon).</summary>
    public const string WindowsEbsImageId = "ami-0000000000000b002";

    /// <summary>Amazon Linux AMI 2018.03 HVM x86_64, instance store (root-device-type instance-store).</summary>
    public const string LinuxInstanceStoreImageId = "ami-0000000000000b003";

    /// <summary>Windows Server 2012 R2, instance store.</summary>
    public const string WindowsInstanceStoreImageId = "ami-0000000000000b004";

    /// <summary>Amazon Linux 2023 x86_64, EBS, a month older than <see cref="LinuxEbsImageId"/> (same name pattern).</summary>
    public const string OlderLinuxEbsImageId = "ami-0000000000000b005";

    /// <summary>Amazon Linux 2023 arm64, EBS.</summary>
    public const string LinuxArmEbsImageId = "ami-0000000000000b006";

    /// <summary>The regions DescribeRegions lists.</summary>
    public static IReadOnlyList<string> Regions { get; } =
    [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2", "eu-central-1",
        "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ca-central-1", "sa-east-1",
    ];
}
