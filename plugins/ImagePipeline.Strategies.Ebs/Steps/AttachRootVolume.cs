using Amazon.EC2.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Instances;
using ImagePipeline.Strategies.Ebs.Parameters;
using ImagePipeline.Strategies.Ebs.State;
using ImagePipeline.Strategies.Ebs.Volumes;

namespace ImagePipeline.Strategies.Ebs.Steps;

/// <summary>
/// Attaches the root volume to the instance as the first of /dev/sdf…/dev/sdp that neither AWS nor the instance itself
/// uses (so whatever shows up there afterwards is this volume), and waits until it is attached. The device is recorded
/// before the call; a failed run detaches the volume again, so it can be deleted.
/// </summary>
public sealed class AttachRootVolume(ICloudClients clients, SourceInstance instances, IRemoteShell shell, RootVolumes volumes) : IPipelineStep
{
    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var instanceId = InstanceSource.InstanceId(context);
        if (EbsState.RootVolumeSnapshotted(context.State))
        {
            context.Note = "its snapshot exists";
            return;
        }

        var volumeId = context.State.Get(EbsState.RootVolume);
        var wait = WaitSettings.From(context.Parameters);
        if (context.State.TryGet(EbsState.RootVolumeDevice, out var recorded)
            && await volumes.FindAsync(volumeId, cancellationToken) is { } volume && RootVolumes.AttachmentTo(volume, instanceId) is not null)
        {
            // A resumed run: attached (or attaching) already.
            await volumes.WaitUntilAttachedAsync(volumeId, instanceId, wait, cancellationToken);
            context.Note = $"{volumeId} as {recorded}";
            return;
        }

        var instance = await instances.GetAsync(instanceId, cancellationToken);
        var device = await FreeDeviceAsync(context, instance, cancellationToken);
        context.State.Set(EbsState.RootVolumeDevice, device);
        await context.CheckpointAsync(cancellationToken);
        await clients.Ec2().AttachVolumeAsync(new AttachVolumeRequest { VolumeId = volumeId, InstanceId = instanceId, Device = device }, cancellationToken);
        await volumes.WaitUntilAttachedAsync(volumeId, instanceId, wait, cancellationToken);
        context.Logger.RootVolumeAttached(volumeId, instanceId, device);
        context.Note = $"{volumeId} as {device}";
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

    /// <summary>The first of /dev/sdf…/dev/sdp the instance's block device mapping does not name and the instance does not show.</summary>
    private async Task<string> FreeDeviceAsync(StepContext context, Instance instance, CancellationToken cancellationToken)
    {
        var taken = (instance.BlockDeviceMappings ?? []).Select(mapping => mapping.DeviceName).Append(instance.RootDeviceName)
            .OfType<string>().Select(AttachmentNames.LetterOf).OfType<string>().ToHashSet(StringComparer.Ordinal);
        await using var session = await shell.ConnectAsync(InstanceSource.Ssh(context), context.Logger, cancellationToken);
        var exists = string.Join(" || ", AttachmentNames.Candidates(context.Parameters, "d", volumeId: null).Select(candidate => $"[ -e {candidate.Path} ]"));
        var shown = await session.ReadAsync(
            $"for d in {string.Join(' ', AttachmentNames.Letters)}; do if {exists}; then echo \"$d\"; fi; done",
            "Listing the device names in use",
            cancellationToken);
        taken.UnionWith(shown.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return AttachmentNames.Letters.FirstOrDefault(letter => !taken.Contains(letter)) is { } free
            ? "/dev/sd" + free
            : throw new PipelineException($"Instance {instance.InstanceId} uses every device name from /dev/sdf to /dev/sdp, so the root volume cannot be attached; detach a volume from it, then run again.");
    }
}
