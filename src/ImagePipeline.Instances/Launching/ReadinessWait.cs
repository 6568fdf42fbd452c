using ImagePipeline.Abstractions;

namespace ImagePipeline.Instances.Launching;

/// <summary>What LaunchInstance's waits (status checks, SSH, SSM) share.</summary>
internal static class ReadinessWait
{
    /// <summary>
    /// A wait leaves nothing behind, but what it waited for may have changed by the time a run is resumed (the instance
    /// stopped, or launched anew): after a run that did not succeed, the wait is marked to run again.
    /// </summary>
    public static Task<CleanupOutcome> CleanupAsync(StepContext context) =>
        Task.FromResult(context.Outcome == RunOutcome.Succeeded ? CleanupOutcome.NothingToUndo : CleanupOutcome.Undone);
}
