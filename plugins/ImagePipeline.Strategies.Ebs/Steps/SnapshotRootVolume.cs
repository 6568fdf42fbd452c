using System.Globalization;
using Amazon.EC2;
using Amazon.EC2.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Parameters;
using ImagePipeline.Strategies.Ebs.State;
using ImagePipeline.Strategies.Ebs.Volumes;

namespace ImagePipeline.Strategies.Ebs.Steps;

/// <summary>
/// Snapshots the detached root volume, tagged with the run id and --snapshot-tags, records it at once and waits until
/// it is completed, with progress. The image keeps the snapshot; a failed run deletes it (after the image), unless --keep-on-failure.
/// </summary>
public sealed class SnapshotRootVolume(ICloudClients clients, RootVolumes volumes, ResourceWaiter waiter) : IPipelineStep
{
    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (context.State.TryGet(EbsState.CapturedImage, out var captured))
        {
            context.Note = $"{captured.ImageId} already registered";
            return;
        }

        var parameters = context.Parameters;
        var volumeId = context.State.Get(EbsState.RootVolume);
        var instanceId = InstanceSource.InstanceId(context);
        if (!context.State.TryGet(EbsState.RootSnapshot, out var snapshotId))
        {
            var response = await clients.Ec2().CreateSnapshotAsync(
                new CreateSnapshotRequest
                {
                    VolumeId = volumeId,
                    Description = $"Root file system of {instanceId} for image {context.State.Get(EbsState.ImageName)} (imagepipeline run {context.RunId})",
                    TagSpecifications = [CreateRootVolume.RootVolumeTags(ResourceType.Snapshot, context, instanceId, TagList.Parse(parameters.Get(EbsParameters.SnapshotTags)))],
                },
                cancellationToken);
            snapshotId = response.Snapshot.SnapshotId;
            context.State.Set(EbsState.RootSnapshot, snapshotId);
            await context.CheckpointAsync(cancellationToken);
            context.Logger.RootSnapshotCreated(snapshotId, volumeId);
        }

        // A call whose answer was lost and was sent again made a snapshot nobody knows of: the run's tags find it.
        foreach (var stray in (await volumes.FindSnapshotsByRunAsync(context.RunId, cancellationToken)).Where(id => id != snapshotId))
        {
            await volumes.DeleteSnapshotAsync(stray, cancellationToken);
        }

        var wait = WaitSettings.From(parameters);
        using (var progress = context.Progress.Start($"Snapshotting {volumeId}", 100, ProgressUnit.Percent))
        {
            await waiter.WaitAsync(
                $"snapshot {snapshotId} to complete",
                async token =>
                {
                    var snapshot = (await clients.Ec2().DescribeSnapshotsAsync(new DescribeSnapshotsRequest { SnapshotIds = [snapshotId] }, token)).Snapshots?.FirstOrDefault();
                    return snapshot switch
                    {
                        null => WaitProbe<bool>.Failed("it no longer exists (deleted by someone else?)"),
                        { State: var state } when state == SnapshotState.Completed => WaitProbe<bool>.Done(true),
                        { State: var state } when state == SnapshotState.Error => WaitProbe<bool>.Failed($"it failed ({snapshot.StateMessage ?? "AWS gave no reason"})"),
                        _ => WaitProbe<bool>.Pending($"{snapshot.Progress} done", PercentOf(snapshot.Progress)),
                    };
                },
                wait.PollDelay,
                wait.MaxWait,
                progress,
                cancellationToken);
        }

        context.Note = $"{snapshotId} of {volumeId}";
    }

    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        var snapshotIds = new HashSet<string>(StringComparer.Ordinal);
        if (context.State.TryGet(EbsState.RootSnapshot, out var recorded))
        {
            snapshotIds.Add(recorded);
        }

        if (context.Outcome == RunOutcome.Succeeded)
        {
            // The image keeps it.
            return snapshotIds.Count == 0 ? CleanupOutcome.NothingToUndo : CleanupOutcome.Kept;
        }

        // A snapshot whose CreateSnapshot answer was lost still carries the run's tags.
        snapshotIds.UnionWith(await volumes.FindSnapshotsByRunAsync(context.RunId, cancellationToken));
        if (snapshotIds.Count == 0)
        {
            return CleanupOutcome.NothingToUndo;
        }

        if (!context.ShouldUndo)
        {
            foreach (var snapshotId in snapshotIds)
            {
                context.Logger.KeepingSnapshotOnFailure(snapshotId, clients.Region);
            }

            return CleanupOutcome.Kept;
        }

        // The image's cleanup ran first; a snapshot an image still uses (one kept because it replaced an old one) stays.
        foreach (var snapshotId in snapshotIds)
        {
            await volumes.DeleteSnapshotAsync(snapshotId, cancellationToken);
        }

        context.State.Remove(EbsState.RootSnapshot);
        return CleanupOutcome.Undone;
    }

    private static int PercentOf(string? progress) =>
        int.TryParse(progress?.TrimEnd('%'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var percent) ? percent : 0;
}
