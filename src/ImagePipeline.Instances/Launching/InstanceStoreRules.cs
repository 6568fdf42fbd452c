namespace ImagePipeline.Instances.Launching;

/// <summary>What AWS allows when an EBS-backed image is asked of an instance-store-backed instance, for a base image, checked before anything is launched (the EBS plugin checks a given instance the same way).</summary>
public static class InstanceStoreRules
{
    public static string WindowsToEbs(string imageId) =>
        $"{imageId} is an instance-store-backed Windows image, and AWS cannot create an EBS-backed AMI from an instance-store-backed Windows instance; bake it with --backing-store instance-store, or start from an EBS-backed Windows image.";

    public static string LinuxToEbsNotBuilt(string imageId) =>
        $"{imageId} is instance-store-backed, and making an EBS-backed image from an instance-store Linux instance is not supported yet; bake it with --backing-store instance-store, or start from an EBS-backed image.";
}
