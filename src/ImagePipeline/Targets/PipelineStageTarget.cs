using ImagePipeline.Abstractions;

namespace ImagePipeline.Targets;

/// <summary>One of the pipeline targets: runs the plan up to <see cref="Stage"/>, the ones before it first.</summary>
internal sealed class PipelineStageTarget(PipelineTarget stage, string description, IReadOnlyList<ParameterDefinition>? parameters = null)
    : BuildTarget(stage.ToString(), description, parameters ?? [])
{
    public PipelineTarget Stage { get; } = stage;
}
