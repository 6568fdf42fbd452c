using ImagePipeline.Abstractions;

namespace ImagePipeline.Strategies.Ebs.State;

/// <summary>
/// What the EBS steps remember in run state, so that cleanups undo exactly what this run created and a resumed run
/// picks up where it stopped. The names are stored in the run-state file: keep them stable.
/// </summary>
internal static class EbsState
{
    /// <summary>The AMI name with its placeholders expanded, computed once so a resumed run keeps the same name.</summary>
    public static readonly StateKey<string> ImageName = new("ebs.image-name");

    /// <summary>True once StopInstances was sent by this run (the instance was running when found).</summary>
    public static readonly StateKey<bool> InstanceStoppedByRun = new("ebs.instance-stopped-by-run");

    /// <summary>True once Sysprep with shutdown was sent by this run.</summary>
    public static readonly StateKey<bool> InstanceStoppedBySysprep = new("ebs.instance-stopped-by-sysprep");

    /// <summary>The SSM command that runs Sysprep, so a resumed run waits for it instead of sending it again.</summary>
    public static readonly StateKey<string> SysprepCommandId = new("ebs.sysprep-command-id");

    /// <summary>The EBS volume the root file system of an instance-store-backed instance is imaged onto, recorded as soon as CreateVolume answers.</summary>
    public static readonly StateKey<string> RootVolume = new("ebs.root-volume");

    /// <summary>The device name (/dev/sdf…/dev/sdp) the root volume is attached as, recorded before AttachVolume is sent.</summary>
    public static readonly StateKey<string> RootVolumeDevice = new("ebs.root-volume-device");

    /// <summary>The 0700 folder on the instance the volume bundler runs from while it writes the root volume.</summary>
    public static readonly StateKey<string> RemoteStagingDirectory = new("ebs.remote-staging-directory");

    /// <summary>The snapshot of the root volume, recorded as soon as CreateSnapshot answers; the registered image keeps it.</summary>
    public static readonly StateKey<string> RootSnapshot = new("ebs.root-snapshot");

    /// <summary>The image CreateImage (or RegisterImage, for an instance-store-backed instance) made, under the final name or (when an image of that name is to be replaced) a temporary one.</summary>
    public static readonly StateKey<CapturedImage> CapturedImage = new("ebs.captured-image");

    /// <summary>
    /// Region → the old image of the same name this run is removing, recorded before the call. Once that image is gone,
    /// the new image in that region is never undone, so the user always has one.
    /// </summary>
    public static readonly StateKey<Dictionary<string, string>> ReplacedImages = new("ebs.replaced-images");

    /// <summary>Region → the image under the final name that replaced an old one (home region included).</summary>
    public static readonly StateKey<Dictionary<string, string>> ReplacementImages = new("ebs.replacement-images");

    /// <summary>Region → the copy of the image this run made there (under the final or a temporary name).</summary>
    public static readonly StateKey<Dictionary<string, string>> RegionCopies = new("ebs.region-copies");

    /// <summary>True once the root volume has served its purpose (its snapshot, or the image, exists): a resumed run makes no second volume.</summary>
    public static bool RootVolumeSnapshotted(RunState state) => state.TryGet(RootSnapshot, out _) || state.TryGet(CapturedImage, out _);

    /// <summary>The image to publish in the home region: the replacement under the final name, or the captured image.</summary>
    public static string HomeImageIdOf(RunState state, string homeRegion) =>
        state.GetOrDefault(ReplacementImages, []).TryGetValue(homeRegion, out var replacement)
            ? replacement
            : state.Get(CapturedImage).ImageId;
}
