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

    /// <summary>The image CreateImage made, under the final name or (when an image of that name is to be replaced) a temporary one.</summary>
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

    /// <summary>The image to publish in the home region: the replacement under the final name, or the captured image.</summary>
    public static string HomeImageIdOf(RunState state, string homeRegion) =>
        state.GetOrDefault(ReplacementImages, []).TryGetValue(homeRegion, out var replacement)
            ? replacement
            : state.Get(CapturedImage).ImageId;
}
