using ImagePipeline.Abstractions;
using ImagePipeline.Core.Engine;
using ImagePipeline.Core.Planning;

namespace ImagePipeline.Output;

/// <summary>Prints a header per target (a collapsible group in GitHub Actions) and failures as they happen.</summary>
internal sealed class ConsoleRunObserver(HostConsole console, GitHubActions gitHub, bool verbose) : IRunObserver
{
    private bool _groupOpen;

    public void TargetStarting(PlannedTarget target)
    {
        if (gitHub.IsActive)
        {
            console.WriteLine(GitHubActions.StartGroup(target.Target.ToString()));
            _groupOpen = true;
        }

        console.WriteLine();
        console.WriteLine($"╬═══ {target.Target} " + new string('═', Math.Max(3, 60 - target.Target.ToString().Length)));
    }

    public void TargetFinished(TargetResult result)
    {
        if (result.Status == TargetStatus.NotApplicable)
        {
            console.WriteLine($"  not applicable: {result.Note}");
        }

        if (_groupOpen)
        {
            console.WriteLine(GitHubActions.EndGroup());
            _groupOpen = false;
        }
    }

    public void StepFailed(string stepId, Exception error)
    {
        var target = stepId.Split('/')[0];
        var message = StepEngine.OneLine(error);
        console.WriteError(error is OperationCanceledException ? $"  {stepId} was cancelled." : $"  {stepId} failed: {message}");
        if (verbose && error is not PipelineException)
        {
            console.WriteError(error.ToString());
        }

        if (gitHub.IsActive && error is not OperationCanceledException)
        {
            console.WriteLine(GitHubActions.Error(target, message));
        }
    }

    public void CleanupStarting(int steps)
    {
        if (steps > 0)
        {
            console.WriteLine();
            console.WriteLine($"╬═══ Cleanup ({steps} step{(steps == 1 ? string.Empty : "s")}, in reverse order)");
        }
    }

    public void CleanupFailed(string stepId, Exception error) =>
        console.WriteError($"  cleanup of {stepId} failed: {StepEngine.OneLine(error)} (the other cleanups still ran; check for leftovers)");
}
