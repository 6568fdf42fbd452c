using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Parameters;
using ImagePipeline.Strategies.Ebs.State;
using ImagePipeline.Strategies.Ebs.Volumes;

namespace ImagePipeline.Strategies.Ebs.Steps;

/// <summary>
/// Detaches the written root volume (the volume bundler has unmounted it and ended) and waits until it is available,
/// so its snapshot is taken of a volume nothing writes to. Nothing to undo: the volume is deleted by CreateRootVolume's cleanup.
/// </summary>
public sealed class DetachRootVolume(RootVolumes volumes) : IPipelineStep
{
    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (EbsState.RootVolumeSnapshotted(context.State))
        {
            context.Note = "its snapshot exists";
            return;
        }

        var volumeId = context.State.Get(EbsState.RootVolume);
        await volumes.DetachAsync(volumeId, WaitSettings.From(context.Parameters), cancellationToken);
        context.State.Remove(EbsState.RootVolumeDevice);
        context.Logger.RootVolumeDetached(volumeId, InstanceSource.InstanceId(context));
        context.Note = volumeId;
    }
}
