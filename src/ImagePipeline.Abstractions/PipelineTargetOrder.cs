namespace ImagePipeline.Abstractions;

/// <summary>The order targets run in; the one way to ask whether a run reaches a target.</summary>
public static class PipelineTargetOrder
{
    /// <summary>Every target, first to last.</summary>
    public static IReadOnlyList<PipelineTarget> All { get; } =
    [
        PipelineTarget.LaunchInstance,
        PipelineTarget.ProvisionInstance,
        PipelineTarget.PrepareBucket,
        PipelineTarget.CopyCertificates,
        PipelineTarget.BundleVolume,
        PipelineTarget.UploadBundle,
        PipelineTarget.RegisterImage,
    ];

    /// <summary>The targets <see cref="IImageStrategy.Plan(PipelineTarget, IParameterValues)"/> implements, first to last.</summary>
    public static IReadOnlyList<PipelineTarget> StrategyTargets { get; } = All.Skip(2).ToArray();

    /// <summary>The target's place in the run, from 0.</summary>
    public static int IndexOf(PipelineTarget target) =>
        All.IndexOf(target) is var index and >= 0 ? index : throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown target.");

    /// <summary>True when a run whose last target is <paramref name="finalTarget"/> runs <paramref name="target"/>.</summary>
    public static bool Reaches(this PipelineTarget finalTarget, PipelineTarget target) => IndexOf(target) <= IndexOf(finalTarget);

    private static int IndexOf(this IReadOnlyList<PipelineTarget> targets, PipelineTarget target)
    {
        for (var index = 0; index < targets.Count; index++)
        {
            if (targets[index] == target)
            {
                return index;
            }
        }

        return -1;
    }
}
