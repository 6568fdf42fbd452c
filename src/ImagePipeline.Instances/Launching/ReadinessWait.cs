using ImagePipeline.Abstractions;

namespace ImagePipeline.Instances.Launching;

/// <summary>What LaunchInstance's waits (the instance's state, status checks, SSH, SSM) share.</summary>
internal static class ReadinessWait
{
    /// <summary>Polls until <paramref name="probe"/> is done, with <c>--poll-delay</c> and <c>--max-wait</c>.</summary>
    public static Task<T> UntilAsync<T>(this ResourceWaiter waiter, string what, Func<CancellationToken, Task<WaitProbe<T>>> probe, IParameterValues parameters, CancellationToken cancellationToken) =>
        waiter.WaitAsync(what, probe, parameters.Get(CommonParameters.PollDelay), parameters.Get(CommonParameters.MaxWait), progress: null, cancellationToken);

    /// <summary>
    /// A wait leaves nothing behind, but what it waited for may have changed by the time a run is resumed (the instance
    /// stopped, or launched anew): after a run that did not succeed, the wait is marked to run again.
    /// </summary>
    public static Task<CleanupOutcome> CleanupAsync(StepContext context) =>
        Task.FromResult(context.Outcome == RunOutcome.Succeeded ? CleanupOutcome.NothingToUndo : CleanupOutcome.Undone);
}
