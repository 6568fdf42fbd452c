using Amazon.EC2;
using Amazon.EC2.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Images;
using ImagePipeline.Strategies.Ebs.Parameters;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Strategies.Ebs.Volumes;

/// <summary>
/// The volume an instance-store-backed instance's root file system is imaged onto, and its snapshot: looked up, waited
/// for, found by the run-id tag when an answer was lost, detached and deleted (only ever what the run created).
/// </summary>
public sealed class RootVolumes(ICloudClients clients, ResourceWaiter waiter, ILogger<RootVolumes> logger)
{
    /// <summary>The volume, or null when it does not exist (any more).</summary>
    public async Task<Volume?> FindAsync(string volumeId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await clients.Ec2().DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = [volumeId] }, cancellationToken);
            return (response.Volumes ?? []).FirstOrDefault();
        }
        catch (AmazonEC2Exception exception) when (exception.ErrorCode is "InvalidVolume.NotFound")
        {
            return null;
        }
    }

    /// <summary>The root volumes this run created (tagged with its id and <see cref="EbsTags.RootVolumeOf"/>), for a cleanup whose CreateVolume answer never arrived.</summary>
    public async Task<IReadOnlyList<string>> FindByRunAsync(string runId, CancellationToken cancellationToken)
    {
        var response = await clients.Ec2().DescribeVolumesAsync(new DescribeVolumesRequest { Filters = [new Filter("tag:" + EbsTags.RunId, [runId]), new Filter("tag-key", [EbsTags.RootVolumeOf])] }, cancellationToken);

        // Filtered again here: the run-id tag decides what may be deleted, so do not rely on the server's filtering alone.
        return (response.Volumes ?? []).Where(volume => EbsTags.IsRootVolumeOfRun(volume.Tags, runId)).Select(volume => volume.VolumeId).ToArray();
    }

    /// <summary>The snapshots of root volumes this run created (tagged like them).</summary>
    public async Task<IReadOnlyList<string>> FindSnapshotsByRunAsync(string runId, CancellationToken cancellationToken)
    {
        var response = await clients.Ec2().DescribeSnapshotsAsync(
            new DescribeSnapshotsRequest { OwnerIds = ["self"], Filters = [new Filter("tag:" + EbsTags.RunId, [runId]), new Filter("tag-key", [EbsTags.RootVolumeOf])] }, cancellationToken);
        return (response.Snapshots ?? []).Where(snapshot => EbsTags.IsRootVolumeOfRun(snapshot.Tags, runId)).Select(snapshot => snapshot.SnapshotId).ToArray();
    }

    /// <summary>Waits until the volume is available (created, or detached).</summary>
    public Task WaitUntilAvailableAsync(string volumeId, WaitSettings wait, CancellationToken cancellationToken) =>
        waiter.WaitAsync(
            $"volume {volumeId} to be available",
            async token => await FindAsync(volumeId, token) switch
            {
                null => WaitProbe<bool>.Failed("it no longer exists (deleted by someone else?)"),
                { State: var state } when state == VolumeState.Available => WaitProbe<bool>.Done(true),
                { State: var state } when state == VolumeState.Error => WaitProbe<bool>.Failed("its state is error"),
                var volume => WaitProbe<bool>.Pending(DescribeState(volume)),
            },
            wait.PollDelay,
            wait.MaxWait,
            progress: null,
            cancellationToken);

    /// <summary>Waits until the volume is attached to the instance.</summary>
    public Task WaitUntilAttachedAsync(string volumeId, string instanceId, WaitSettings wait, CancellationToken cancellationToken) =>
        waiter.WaitAsync(
            $"volume {volumeId} to be attached to {instanceId}",
            async token => await FindAsync(volumeId, token) switch
            {
                null => WaitProbe<bool>.Failed("it no longer exists (deleted by someone else?)"),
                var volume when AttachmentTo(volume, instanceId)?.State == AttachmentStatus.Attached => WaitProbe<bool>.Done(true),
                var volume => WaitProbe<bool>.Pending(DescribeState(volume)),
            },
            wait.PollDelay,
            wait.MaxWait,
            progress: null,
            cancellationToken);

    /// <summary>Detaches the volume when it is attached, and waits until it is available; false when it was not attached.</summary>
    public async Task<bool> DetachAsync(string volumeId, WaitSettings wait, CancellationToken cancellationToken)
    {
        var volume = await FindAsync(volumeId, cancellationToken);
        if (volume is null || (volume.Attachments ?? []).Count == 0)
        {
            return false;
        }

        try
        {
            await clients.Ec2().DetachVolumeAsync(new DetachVolumeRequest { VolumeId = volumeId }, cancellationToken);
        }
        catch (AmazonEC2Exception exception) when (exception.ErrorCode is "IncorrectState" or "InvalidAttachment.NotFound")
        {
            // Detached meanwhile (a detach already under way, or the instance terminated): what was wanted.
        }

        await WaitUntilAvailableAsync(volumeId, wait, cancellationToken);
        return true;
    }

    /// <summary>Detaches (when attached) and deletes the volume; false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(string volumeId, WaitSettings wait, CancellationToken cancellationToken)
    {
        if (await FindAsync(volumeId, cancellationToken) is null)
        {
            return false;
        }

        await DetachAsync(volumeId, wait, cancellationToken);
        try
        {
            await clients.Ec2().DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volumeId }, cancellationToken);
        }
        catch (AmazonEC2Exception exception) when (exception.ErrorCode is "InvalidVolume.NotFound")
        {
            return false;
        }

        logger.VolumeDeleted(volumeId, clients.Region);
        return true;
    }

    /// <summary>Deletes the snapshot; false when it was already gone, or an image still uses it (that image is kept, so is its snapshot).</summary>
    public async Task<bool> DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken)
    {
        try
        {
            await clients.Ec2().DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = snapshotId }, cancellationToken);
            logger.SnapshotDeleted(snapshotId, clients.Region);
            return true;
        }
        catch (AmazonEC2Exception exception) when (exception.ErrorCode is "InvalidSnapshot.NotFound" or "InvalidSnapshot.InUse")
        {
            return false;
        }
    }

    public static VolumeAttachment? AttachmentTo(Volume volume, string instanceId) =>
        (volume.Attachments ?? []).FirstOrDefault(attachment => attachment.InstanceId == instanceId);

    private static string DescribeState(Volume volume) =>
        (volume.Attachments ?? []).FirstOrDefault() is { } attachment
            ? $"{attachment.State?.Value ?? "attaching"} to {attachment.InstanceId}"
            : volume.State?.Value ?? "creating";
}
