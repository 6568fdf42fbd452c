using ImagePipeline.Abstractions;

namespace CustomStrategy.State;

/// <summary>What the steps remember in the run record; saved after every step, so a resumed run or a cleanup after a crash knows the image.</summary>
public static class TaggedEbsState
{
    /// <summary>Set as soon as CreateImage answers, so a failed run deregisters what it created.</summary>
    public static readonly StateKey<string> ImageId = new("tagged-ebs.image-id");
}
