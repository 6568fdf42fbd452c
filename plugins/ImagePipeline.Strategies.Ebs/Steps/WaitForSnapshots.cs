using Amazon.EC2.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Images;
using ImagePipeline.Strategies.Ebs.Parameters;
using ImagePipeline.Strategies.Ebs.State;

namespace ImagePipeline.Strategies.Ebs.Steps;

/// <summary>
/// Waits until every snapshot of the new image is completed, with progress, then tags the snapshots with the run id and
/// --snapshot-tags. Tagging after the image names its snapshots works with every EC2 endpoint (moto and LocalStack refuse
/// snapshot tag specifications on CreateImage). It creates nothing of its own: the snapshots go with the image.
/// </summary>
public sealed class WaitForSnapshots(ICloudClients clients, ImageWaiter waiter) : IPipelineStep
{
    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var image = context.State.Get(EbsState.CapturedImage);
        using var progress = context.Progress.Start($"Snapshotting the volumes of {image.ImageId}", 100, ProgressUnit.Percent);
        var snapshotIds = await waiter.WaitForSnapshotsAsync(clients.Region, image.ImageId, WaitSettings.From(context.Parameters), progress, cancellationToken);
        if (snapshotIds.Count > 0)
        {
            var tags = new Dictionary<string, string>(TagList.Parse(context.Parameters.Get(EbsParameters.SnapshotTags)), StringComparer.Ordinal)
            {
                [EbsTags.RunId] = context.RunId,
            };
            await clients.Ec2().CreateTagsAsync(new CreateTagsRequest { Resources = [.. snapshotIds], Tags = EbsTags.From(tags) }, cancellationToken);
        }

        context.Note = $"{image.ImageId}: {snapshotIds.Count} snapshot(s) completed and tagged";
    }
}
