namespace ImagePipeline.Abstractions;

/// <summary>
/// Implements the five targets for one backing store and platform. A plugin registers it with
/// <see cref="PluginServiceCollectionExtensions.AddImageStrategy{TStrategy}"/>.
/// </summary>
public interface IImageStrategy
{
    StrategyKey Key { get; }

    /// <summary>One sentence shown in <c>--help</c> and <c>--plan</c>.</summary>
    string Description { get; }

    /// <summary>The parameters this strategy reads, for <c>--help</c>, the schema and unknown-parameter checks.</summary>
    IReadOnlyList<ParameterDefinition> Parameters { get; }

    /// <summary>The steps that implement a target, or why the target does not apply to this strategy.</summary>
    TargetPlan Plan(PipelineTarget target, IParameterValues parameters);

    /// <summary>
    /// The steps of a target for an instance whose root device is <paramref name="root"/>. The host asks this once the
    /// root is known, and shows both plans in <c>--plan</c> where they differ. The default is <see cref="Plan(PipelineTarget, IParameterValues)"/>
    /// whatever the root: the strategy captures both alike.
    /// </summary>
    TargetPlan Plan(PipelineTarget target, IParameterValues parameters, InstanceRoot root) => Plan(target, parameters);

    /// <summary>
    /// How this strategy captures an instance the run launches from a base image (<c>--source-ami</c>): by id, over SSH,
    /// or not at all (the default, for a strategy that bundles a file or predates contract 1.2). It may depend on the
    /// base image's root device, as <see cref="Plan(PipelineTarget, IParameterValues, InstanceRoot)"/> may.
    /// </summary>
    LaunchedInstanceUse UsesLaunchedInstance(IParameterValues parameters, InstanceRoot root) => LaunchedInstanceUse.NotSupported;

    /// <summary>Checks that concern the strategy as a whole (rather than one step) before anything runs.</summary>
    ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
