namespace ImagePipeline.Instances.Launching;

/// <summary>What AWS allows when an EBS-backed image is asked of an instance-store-backed instance, worded once for every check that meets it.</summary>
public static class InstanceStoreRules
{
    public static string WindowsToEbs(string source) =>
        $"{source} is an instance-store-backed Windows {(source.StartsWith("i-", StringComparison.Ordinal) ? "instance" : "image")}, and AWS cannot create an EBS-backed AMI from an instance-store-backed Windows instance; bake it with --backing-store instance-store, or start from an EBS-backed Windows image.";

    public static string LinuxToEbsNotBuilt(string source) =>
        $"{source} is instance-store-backed, and making an EBS-backed image from an instance-store Linux instance is not supported yet; bake it with --backing-store instance-store, or start from an EBS-backed image.";
}
