using ImagePipeline.Abstractions;
using ImagePipeline.Instances.Launching;
using ImagePipeline.Instances.Provisioning;

namespace ImagePipeline.Core.Planning;

/// <summary>What a run will do: the strategy and its ordered targets.</summary>
public sealed record ExecutionPlan(IImageStrategy Strategy, IReadOnlyList<PlannedTarget> Targets)
{
    public StrategyKey Key => Strategy.Key;

    public IReadOnlyList<PipelineTarget> TargetNames => Targets.Select(target => target.Target).ToArray();

    public static ExecutionPlan Create(IImageStrategy strategy, IReadOnlyList<PipelineTarget> orderedTargets, IParameterValues parameters) =>
        new(strategy, orderedTargets.Select(target => new PlannedTarget(target, PlanOf(target, strategy, parameters))).ToArray());

    /// <summary>The host plans the two targets before the strategy's (the instance to capture); the strategy plans its five.</summary>
    private static TargetPlan PlanOf(PipelineTarget target, IImageStrategy strategy, IParameterValues parameters) => target switch
    {
        PipelineTarget.LaunchInstance => LaunchTarget.Plan(parameters, strategy),
        PipelineTarget.ProvisionInstance => ProvisionTarget.Plan(parameters, parameters.Get(CommonParameters.Platform)),
        _ => strategy.Plan(target, parameters),
    };
}
