using ImagePipeline.Abstractions;

namespace ImagePipeline.Targets;

/// <summary>One of the five pipeline targets: runs the chosen strategy's plan up to <see cref="Stage"/>, the ones before it first.</summary>
internal sealed class PipelineStageTarget(PipelineTarget stage, string description) : BuildTarget(stage.ToString(), description, [])
{
    public PipelineTarget Stage { get; } = stage;
}
