using ImagePipeline.Core.Parameters;

namespace ImagePipeline.Targets;

/// <summary>A target that is not a pipeline stage: it runs alone, with what it needs from the host, and returns the exit code.</summary>
internal abstract class UtilityTarget(string name, string description, IReadOnlyList<ImagePipeline.Abstractions.ParameterDefinition> parameters)
    : BuildTarget(name, description, parameters)
{
    public abstract Task<int> RunAsync(UtilityContext context, ResolvedParameters parameters, CancellationToken cancellationToken);
}
