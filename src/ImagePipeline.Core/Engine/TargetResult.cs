using ImagePipeline.Abstractions;

namespace ImagePipeline.Core.Engine;

/// <summary>One row of the summary: a target, how it ended, how long it took, and the one fact that matters.</summary>
public sealed record TargetResult(PipelineTarget Target, TargetStatus Status, TimeSpan Duration, string? Note);
