using ImagePipeline.Abstractions;
using ImagePipeline.Instances.Launching;
using ImagePipeline.Instances.Provisioning;

namespace ImagePipeline.Core.Planning;

/// <summary>
/// What a run will do: the strategy and its ordered targets. Where the strategy captures an instance-store-backed
/// instance differently, <see cref="InstanceStoreRootTargets"/> holds that plan until the root is known (<see cref="For"/>).
/// </summary>
public sealed record ExecutionPlan(IImageStrategy Strategy, IReadOnlyList<PlannedTarget> Targets)
{
    /// <summary>The targets for an instance-store-backed instance, where they differ from <see cref="Targets"/> (planned for an EBS root); null when the root changes nothing.</summary>
    public IReadOnlyList<PlannedTarget>? InstanceStoreRootTargets { get; init; }

    public StrategyKey Key => Strategy.Key;

    public IReadOnlyList<PipelineTarget> TargetNames => Targets.Select(target => target.Target).ToArray();

    /// <summary>True while the steps depend on a root device the cloud has not been asked about yet.</summary>
    public bool DependsOnRoot => InstanceStoreRootTargets is not null;

    public static ExecutionPlan Create(IImageStrategy strategy, IReadOnlyList<PipelineTarget> orderedTargets, IParameterValues parameters)
    {
        var ebsRoot = PlanTargets(strategy, orderedTargets, parameters, InstanceRoot.Ebs);
        var instanceStoreRoot = PlanTargets(strategy, orderedTargets, parameters, InstanceRoot.InstanceStore);
        return new ExecutionPlan(strategy, ebsRoot)
        {
            InstanceStoreRootTargets = ebsRoot.SequenceEqual(instanceStoreRoot, PlannedTarget.SameSteps) ? null : instanceStoreRoot,
        };
    }

    /// <summary>The plan for an instance with this root device, no longer depending on it.</summary>
    public ExecutionPlan For(InstanceRoot root) => root == InstanceRoot.InstanceStore && InstanceStoreRootTargets is { } instanceStoreRoot
        ? new ExecutionPlan(Strategy, instanceStoreRoot)
        : this with { InstanceStoreRootTargets = null };

    /// <summary>The instance-store-root plan of a target where it differs from its EBS-root plan, for <c>--plan</c>; else null.</summary>
    public PlannedTarget? InstanceStoreRootVariant(PipelineTarget target) =>
        InstanceStoreRootTargets?.SingleOrDefault(planned => planned.Target == target) is { } variant
        && !PlannedTarget.SameSteps.Equals(variant, Targets.Single(planned => planned.Target == target))
            ? variant
            : null;

    private static PlannedTarget[] PlanTargets(IImageStrategy strategy, IReadOnlyList<PipelineTarget> orderedTargets, IParameterValues parameters, InstanceRoot root) =>
        orderedTargets.Select(target => new PlannedTarget(target, PlanOf(target, strategy, parameters, root))).ToArray();

    /// <summary>The host plans the two targets before the strategy's (the instance to capture); the strategy plans its five.</summary>
    private static TargetPlan PlanOf(PipelineTarget target, IImageStrategy strategy, IParameterValues parameters, InstanceRoot root) => target switch
    {
        PipelineTarget.LaunchInstance => LaunchTarget.Plan(parameters, strategy, root),
        PipelineTarget.ProvisionInstance => ProvisionTarget.Plan(parameters, parameters.Get(CommonParameters.Platform)),
        _ => strategy.Plan(target, parameters, root),
    };
}
