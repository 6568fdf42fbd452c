namespace ImagePipeline.Instances.Launching;

/// <summary>What AWS refuses when an EBS-backed image is asked of an instance-store-backed instance (Windows), for a base image, checked before anything is launched (the EBS plugin checks a given instance the same way).</summary>
public static class InstanceStoreRules
{
    public static string WindowsToEbs(string imageId) =>
        $"{imageId} is an instance-store-backed Windows image, and AWS cannot create an EBS-backed AMI from an instance-store-backed Windows instance; bake it with --backing-store instance-store, or start from an EBS-backed Windows image.";
}
