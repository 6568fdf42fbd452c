using System.Globalization;
using Amazon.EC2;
using Amazon.EC2.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Parameters;

namespace ImagePipeline.Strategies.Ebs.Images;

/// <summary>Waits for an image to be available, and for its snapshots to complete, with progress.</summary>
public sealed class ImageWaiter(ICloudClients clients, OwnedImages images, ResourceWaiter waiter)
{
    public Task<Image> WaitUntilAvailableAsync(string region, string imageId, WaitSettings wait, IProgressScope? progress, CancellationToken cancellationToken) =>
        waiter.WaitAsync(
            $"image {imageId} in {region}",
            async token =>
            {
                var image = await images.FindAsync(region, imageId, token);
                if (image is null)
                {
                    return WaitProbe<Image>.Failed("it no longer exists (deregistered by someone else?)");
                }

                if (image.State == ImageState.Available)
                {
                    return WaitProbe<Image>.Done(image);
                }

                if (image.State == ImageState.Failed || image.State == ImageState.Invalid || image.State == ImageState.Error)
                {
                    return WaitProbe<Image>.Failed($"its state is {image.State} ({image.StateReason?.Message ?? image.StateReason?.Code ?? "AWS gave no reason"})");
                }

                return WaitProbe<Image>.Pending(image.State?.Value ?? "pending");
            },
            wait.PollDelay,
            wait.MaxWait,
            progress,
            cancellationToken);

    /// <summary>Waits until every snapshot of the image is completed; reports the average progress.</summary>
    public Task<IReadOnlyList<string>> WaitForSnapshotsAsync(string region, string imageId, WaitSettings wait, IProgressScope? progress, CancellationToken cancellationToken) =>
        waiter.WaitAsync(
            $"the snapshots of image {imageId} in {region}",
            async token =>
            {
                var image = await images.FindAsync(region, imageId, token);
                if (image is null)
                {
                    return WaitProbe<IReadOnlyList<string>>.Failed("the image no longer exists");
                }

                if (image.State == ImageState.Failed || image.State == ImageState.Error || image.State == ImageState.Invalid)
                {
                    return WaitProbe<IReadOnlyList<string>>.Failed($"the image's state is {image.State} ({image.StateReason?.Message ?? "AWS gave no reason"})");
                }

                var expected = (image.BlockDeviceMappings ?? []).Count(mapping => mapping.Ebs is not null);
                var snapshotIds = OwnedImages.SnapshotIdsOf(image);
                if (snapshotIds.Count == 0 || snapshotIds.Count < expected)
                {
                    return WaitProbe<IReadOnlyList<string>>.Pending("snapshots not started yet", 0);
                }

                var response = await clients.Ec2(region).DescribeSnapshotsAsync(new DescribeSnapshotsRequest { SnapshotIds = [.. snapshotIds] }, token);
                var snapshots = response.Snapshots ?? [];
                if (snapshots.FirstOrDefault(snapshot => snapshot.State == SnapshotState.Error) is { } broken)
                {
                    return WaitProbe<IReadOnlyList<string>>.Failed($"snapshot {broken.SnapshotId} failed ({broken.StateMessage ?? "AWS gave no reason"})");
                }

                if (snapshots.Count == snapshotIds.Count && snapshots.All(snapshot => snapshot.State == SnapshotState.Completed))
                {
                    return WaitProbe<IReadOnlyList<string>>.Done(snapshotIds);
                }

                var percent = snapshots.Count == 0 ? 0 : (int)snapshots.Average(snapshot => PercentOf(snapshot));
                return WaitProbe<IReadOnlyList<string>>.Pending($"snapshots {percent}% done", percent);
            },
            wait.PollDelay,
            wait.MaxWait,
            progress,
            cancellationToken);

    private static int PercentOf(Snapshot snapshot) =>
        snapshot.State == SnapshotState.Completed ? 100
        : int.TryParse(snapshot.Progress?.TrimEnd('%'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var percent) ? percent
        : 0;
}
