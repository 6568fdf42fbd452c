using ImagePipeline.Abstractions;
using ImagePipeline.Core.Planning;

namespace ImagePipeline.Core.Engine;

/// <summary>What the engine tells the host as a run goes, so the host can print headers, groups and annotations.</summary>
public interface IRunObserver
{
    void TargetStarting(PlannedTarget target);

    void TargetFinished(TargetResult result);

    void StepFailed(string stepId, Exception error);

    void CleanupStarting(int steps);

    void CleanupFailed(string stepId, Exception error);
}
