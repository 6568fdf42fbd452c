using Amazon.Runtime;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Strategies.Ebs;

/// <summary>Waits until every snapshot of the new image is completed, with progress. It creates nothing of its own.</summary>
public sealed class WaitForSnapshots(ICloudClients clients, ImageWaiter waiter) : IPipelineStep
{
    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        try
        {
            var image = context.State.Get(EbsState.CapturedImage);
            using var progress = context.Progress.Start($"Snapshotting the volumes of {image.ImageId}", 100, ProgressUnit.Percent);
            var snapshotIds = await waiter.WaitForSnapshotsAsync(clients.Region, image.ImageId, WaitSettings.From(context.Parameters), progress, cancellationToken);
            context.Note = $"{image.ImageId}: {snapshotIds.Count} snapshot(s) completed";
        }
        catch (AmazonServiceException exception)
        {
            throw AwsFailure.During("Waiting for the image's snapshots", exception);
        }
    }

    public Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken) =>
        Task.FromResult(CleanupOutcome.NothingToUndo);
}
