using Amazon.EC2;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Instances;
using ImagePipeline.Strategies.Ebs.Parameters;
using ImagePipeline.Strategies.Ebs.State;

namespace ImagePipeline.Strategies.Ebs.Steps;

/// <summary>
/// Stops the instance before the capture, so its file systems are consistent in the image, and starts it again when
/// the run ends (success or failure) if this run stopped it, unless --leave-stopped or the run launched it (it is terminated).
/// </summary>
public sealed class StopSourceInstance(SourceInstance instances) : IPipelineStep
{
    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var instanceId = InstanceSource.InstanceId(context);
        if (context.State.TryGet(EbsState.CapturedImage, out var captured))
        {
            // A run resumed after the capture (for example BundleVolume, then RegisterImage): the image exists, so there is nothing to stop for.
            context.Note = $"{captured.ImageId} already captured";
            return;
        }

        var instance = await instances.GetAsync(instanceId, cancellationToken);
        if (instance.State?.Name == InstanceStateName.Stopped)
        {
            context.Logger.InstanceAlreadyStopped(instanceId);
            context.Note = $"{instanceId} was already stopped";
            return;
        }

        // Remembered before the call: if its answer is lost, the cleanup still starts the instance (starting a running one is harmless).
        context.State.Set(EbsState.InstanceStoppedByRun, true);
        await context.CheckpointAsync(cancellationToken);
        context.Logger.StoppingInstance(instanceId);
        await instances.StopAsync(instanceId, cancellationToken);
        await instances.WaitUntilStoppedAsync(instanceId, WaitSettings.From(context.Parameters), cancellationToken);
        context.Note = $"stopped {instanceId}";
    }

    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (!context.State.GetOrDefault(EbsState.InstanceStoppedByRun, false))
        {
            return CleanupOutcome.NothingToUndo;
        }

        var instanceId = InstanceSource.InstanceId(context);
        if (InstanceSource.Launched(context.State) is not null && (context.Outcome == RunOutcome.Succeeded || context.ShouldUndo))
        {
            // The run launched it to capture it, and terminates it next: starting it again would only cost time. (Kept
            // after a failure, it is started again like any instance, for a resumed run to capture.)
            context.State.Remove(EbsState.InstanceStoppedByRun);
            return CleanupOutcome.Undone;
        }

        if (context.Parameters.Get(EbsParameters.LeaveStopped))
        {
            context.Logger.LeavingInstanceStopped(instanceId);
            return CleanupOutcome.Kept;
        }

        context.Logger.StartingInstanceAgain(instanceId);
        await instances.StartAsync(instanceId, WaitSettings.From(context.Parameters), cancellationToken);
        context.State.Remove(EbsState.InstanceStoppedByRun);
        return CleanupOutcome.Undone;
    }
}
