using System.Collections.Concurrent;
using ImagePipeline.Core.Engine;
using ImagePipeline.Core.Planning;

namespace ImagePipeline.Testing;

/// <summary>Keeps what the engine announced, in order.</summary>
public sealed class RecordingRunObserver : IRunObserver
{
    public ConcurrentQueue<string> Events { get; } = new();

    public void TargetStarting(PlannedTarget target) => Events.Enqueue($"start {target.Target}");

    public void TargetFinished(TargetResult result) => Events.Enqueue($"finish {result.Target} {result.Status}");

    public void StepFailed(string stepId, Exception error) => Events.Enqueue($"failed {stepId}: {error.Message}");

    public void CleanupStarting(int steps) => Events.Enqueue($"cleanup {steps}");

    public void CleanupFailed(string stepId, Exception error) => Events.Enqueue($"cleanup failed {stepId}: {error.Message}");
}
