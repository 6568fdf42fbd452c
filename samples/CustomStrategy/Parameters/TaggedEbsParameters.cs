using ImagePipeline.Abstractions;

namespace CustomStrategy.Parameters;

/// <summary>The strategy's own parameter: <c>--required-instance-tag</c>, <c>IMAGEPIPELINE_REQUIRED_INSTANCE_TAG</c>, or "required-instance-tag" in .nuke/parameters.json.</summary>
public static class TaggedEbsParameters
{
    public static readonly Parameter<string> RequiredInstanceTag = new(
        "required-instance-tag",
        "tagged-ebs: the tag an instance must carry (any value) before it may be captured.",
        value => string.IsNullOrWhiteSpace(value) ? "--required-instance-tag needs a tag key." : null)
    { Default = "imaging-approved" };
}
