using ImagePipeline.Abstractions;

namespace ImagePipeline.Core.Engine;

/// <summary>How a run ended: its outcome, a row per target, the outputs, and what went wrong (the failure, and any cleanup that failed).</summary>
public sealed record RunResult(
    string RunId,
    RunOutcome Outcome,
    IReadOnlyList<TargetResult> Targets,
    IReadOnlyDictionary<string, string> Outputs,
    Exception? Failure,
    IReadOnlyList<CleanupFailure> CleanupFailures);
