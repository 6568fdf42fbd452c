using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Parameters;
using ImagePipeline.Strategies.Ebs.State;
using ImagePipeline.Strategies.Ebs.Volumes;

namespace ImagePipeline.Strategies.Ebs.Steps;

/// <summary>
/// Attaches the root volume to the instance as the first of /dev/sdf…/dev/sdp that neither AWS nor the instance itself
/// uses (so whatever shows up there afterwards is this volume), and waits until it is attached. The device is recorded
/// before the call; a failed run detaches the volume again, so it can be deleted.
/// </summary>
public sealed class AttachRootVolume(RootVolumeAttachment attachment, RootVolumes volumes) : IPipelineStep
{
    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (EbsState.RootVolumeSnapshotted(context.State))
        {
            context.Note = "its snapshot exists";
            return;
        }

        var device = await attachment.EnsureAttachedAsync(context, cancellationToken);
        context.Note = $"{context.State.Get(EbsState.RootVolume)} as {device}";
    }

    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (!context.State.TryGet(EbsState.RootVolumeDevice, out _) || !context.State.TryGet(EbsState.RootVolume, out var volumeId))
        {
            return CleanupOutcome.NothingToUndo;
        }

        if (!context.ShouldUndo && context.Outcome != RunOutcome.Succeeded)
        {
            return CleanupOutcome.Kept;
        }

        await volumes.DetachAsync(volumeId, WaitSettings.From(context.Parameters), cancellationToken);
        context.State.Remove(EbsState.RootVolumeDevice);
        return CleanupOutcome.Undone;
    }
}
