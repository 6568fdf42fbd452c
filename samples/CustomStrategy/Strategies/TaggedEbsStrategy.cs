using CustomStrategy.Parameters;
using CustomStrategy.Steps;
using ImagePipeline.Abstractions;

namespace CustomStrategy.Strategies;

/// <summary>
/// ebs/linux/tagged, added beside the built-in ebs/linux (chosen with <c>--strategy tagged</c>), with a gate: an instance
/// is captured only when it carries the required tag, so nobody images a machine that was not signed off. The image is
/// created with CreateImage (no reboot) and is ready once AWS marks it available. Without <see cref="StrategyKey.Variant"/>
/// the strategy would replace the built-in ebs/linux instead.
/// </summary>
public sealed class TaggedEbsStrategy : IImageStrategy
{
    public StrategyKey Key => new(BackingStore.Ebs, Platform.Linux) { Variant = "tagged" };

    public string Description => "Captures an EBS-backed Linux image from an instance that carries the required tag (sample plugin).";

    public IReadOnlyList<ParameterDefinition> Parameters { get; } =
    [
        CommonParameters.InstanceId,
        CommonParameters.ImageName,
        CommonParameters.ImageDescription,
        CommonParameters.PollDelay,
        CommonParameters.MaxWait,
        TaggedEbsParameters.RequiredInstanceTag,
    ];

    public TargetPlan Plan(PipelineTarget target, IParameterValues parameters) => target switch
    {
        PipelineTarget.PrepareBucket => TargetPlan.NotApplicable("EBS images live in snapshots; no S3 bucket is involved."),
        PipelineTarget.CopyCertificates => TargetPlan.NotApplicable("EBS images are not bundled, so no certificate is involved."),
        PipelineTarget.BundleVolume => TargetPlan.Run<CaptureTaggedInstance>(),
        PipelineTarget.UploadBundle => TargetPlan.NotApplicable("the snapshots are made by AWS; there is nothing to upload."),
        PipelineTarget.RegisterImage => TargetPlan.Run<WaitForImageAvailable>(),
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown target."),
    };

    public ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        if (context.WillRun(PipelineTarget.BundleVolume))
        {
            context.Require(CommonParameters.InstanceId, "to capture an image from an instance");
            context.Require(CommonParameters.ImageName, "to name the new image");
        }

        return ValueTask.CompletedTask;
    }
}
