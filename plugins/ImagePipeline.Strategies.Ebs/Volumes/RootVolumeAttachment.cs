using Amazon.EC2.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Instances;
using ImagePipeline.Strategies.Ebs.Parameters;
using ImagePipeline.Strategies.Ebs.State;

namespace ImagePipeline.Strategies.Ebs.Volumes;

/// <summary>
/// Attaches the root volume to the instance the run captures, as the first of /dev/sdf…/dev/sdp that neither AWS nor
/// the instance itself uses (so whatever shows up there afterwards is this volume), recorded before the call. Asked
/// again (a resumed run, whose launched instance may have been replaced), it keeps an attachment to that instance and
/// moves the volume from any other.
/// </summary>
public sealed class RootVolumeAttachment(ICloudClients clients, SourceInstance instances, IRemoteShell shell, RootVolumes volumes)
{
    /// <summary>The device name the volume is attached to the instance as, once it is attached.</summary>
    public async Task<string> EnsureAttachedAsync(StepContext context, CancellationToken cancellationToken)
    {
        var instanceId = InstanceSource.InstanceId(context);
        var volumeId = context.State.Get(EbsState.RootVolume);
        var wait = WaitSettings.From(context.Parameters);
        var volume = await volumes.FindAsync(volumeId, cancellationToken)
            ?? throw new PipelineException($"Volume {volumeId}, made by this run for the root file system, no longer exists in {clients.Region}; run again without --resume.");
        if (RootVolumes.AttachmentTo(volume, instanceId) is { } attached)
        {
            await volumes.WaitUntilAttachedAsync(volumeId, instanceId, wait, cancellationToken);
            context.State.Set(EbsState.RootVolumeDevice, attached.Device);
            return attached.Device;
        }

        // Attached to an instance this run no longer captures (it was replaced), or not at all.
        await volumes.DetachAsync(volumeId, wait, cancellationToken);
        var instance = await instances.GetAsync(instanceId, cancellationToken);
        var device = await FreeDeviceAsync(context, instance, cancellationToken);
        context.State.Set(EbsState.RootVolumeDevice, device);
        await context.CheckpointAsync(cancellationToken);
        await clients.Ec2().AttachVolumeAsync(new AttachVolumeRequest { VolumeId = volumeId, InstanceId = instanceId, Device = device }, cancellationToken);
        await volumes.WaitUntilAttachedAsync(volumeId, instanceId, wait, cancellationToken);
        context.Logger.RootVolumeAttached(volumeId, instanceId, device);
        return device;
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
