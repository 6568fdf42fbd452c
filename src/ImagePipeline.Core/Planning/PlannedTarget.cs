using ImagePipeline.Abstractions;

namespace ImagePipeline.Core.Planning;

/// <summary>A target of the plan and how the chosen strategy implements it.</summary>
public sealed record PlannedTarget(PipelineTarget Target, TargetPlan Implementation)
{
    /// <summary>Two plans of one target that run the same steps (or do not apply for the same reason).</summary>
    public static IEqualityComparer<PlannedTarget> SameSteps { get; } = EqualityComparer<PlannedTarget>.Create(
        (left, right) => left?.Target == right?.Target
            && left?.Implementation.NotApplicableReason == right?.Implementation.NotApplicableReason
            && (left?.Implementation.Steps ?? []).SequenceEqual(right?.Implementation.Steps ?? []),
        planned => planned.Target.GetHashCode());

    /// <summary>The stable ids of its steps, as saved in run state: Target/StepClass.</summary>
    public IReadOnlyList<string> StepIds => Implementation.Steps.Select(step => StepId(Target, step)).ToArray();

    public static string StepId(PipelineTarget target, Type stepType) => $"{target}/{stepType.Name}";
}
