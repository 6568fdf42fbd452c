using ImagePipeline.Abstractions;

namespace ImagePipeline.Core.Planning;

/// <summary>What a run will do: the strategy and its ordered targets.</summary>
public sealed record ExecutionPlan(IImageStrategy Strategy, IReadOnlyList<PlannedTarget> Targets)
{
    public StrategyKey Key => Strategy.Key;

    public IReadOnlyList<PipelineTarget> TargetNames => Targets.Select(target => target.Target).ToArray();

    public static ExecutionPlan Create(IImageStrategy strategy, IReadOnlyList<PipelineTarget> orderedTargets, IParameterValues parameters) =>
        new(strategy, orderedTargets.Select(target => new PlannedTarget(target, strategy.Plan(target, parameters))).ToArray());
}
