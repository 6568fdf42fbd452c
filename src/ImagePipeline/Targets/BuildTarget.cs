using ImagePipeline.Abstractions;

namespace ImagePipeline.Targets;

/// <summary>
/// A target of the host, declared once (Nuke-style): its name, what it does and the parameters of its own. The five
/// pipeline targets run a plan through the strategy; the utility targets run alone and never touch a run's state.
/// </summary>
internal abstract class BuildTarget(string name, string description, IReadOnlyList<ParameterDefinition> parameters)
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    /// <summary>Parameters only this target reads (shown in <c>--help</c> and the schema with everyone else's).</summary>
    public IReadOnlyList<ParameterDefinition> Parameters { get; } = parameters;
}
