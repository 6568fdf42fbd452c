using Amazon.EC2;
using Amazon.EC2.Model;
using ImagePipeline.Abstractions;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Strategies.Ebs.Images;

/// <summary>Deregisters an image and, when asked, deletes its snapshots (deregistering alone leaves them, and they cost money).</summary>
public sealed class ImageRemover(ICloudClients clients, OwnedImages images, ILogger<ImageRemover> logger)
{
    /// <summary>Removes the image; returns false when it was already gone.</summary>
    public async Task<bool> RemoveAsync(string region, string imageId, bool deleteSnapshots, CancellationToken cancellationToken)
    {
        var ec2 = clients.Ec2(region);
        var image = await images.FindAsync(region, imageId, cancellationToken);
        var snapshotIds = image is null ? [] : OwnedImages.SnapshotIdsOf(image).ToList();
        if (deleteSnapshots)
        {
            // A pending image may not list its snapshots yet; EC2 names the image in the description of the snapshots it makes for it.
            snapshotIds.AddRange(await FindSnapshotsDescribingAsync(ec2, imageId, cancellationToken));
        }

        if (image is not null)
        {
            try
            {
                await ec2.DeregisterImageAsync(new DeregisterImageRequest { ImageId = imageId }, cancellationToken);
                logger.ImageDeregistered(imageId, region);
            }
            catch (AmazonEC2Exception exception) when (exception.ErrorCode is "InvalidAMIID.NotFound" or "InvalidAMIID.Unavailable")
            {
                image = null;
            }
        }

        if (deleteSnapshots)
        {
            foreach (var snapshotId in snapshotIds.Distinct(StringComparer.Ordinal))
            {
                try
                {
                    await ec2.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = snapshotId }, cancellationToken);
                    logger.SnapshotDeleted(snapshotId, region);
                }
                catch (AmazonEC2Exception exception) when (exception.ErrorCode is "InvalidSnapshot.NotFound")
                {
                    // Already gone: that is what we wanted.
                }
            }
        }

        return image is not null;
    }

    private static async Task<IReadOnlyList<string>> FindSnapshotsDescribingAsync(IAmazonEC2 ec2, string imageId, CancellationToken cancellationToken)
    {
        var response = await ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { OwnerIds = ["self"], Filters = [new Filter("description", [$"*{imageId}*"])] }, cancellationToken);
        return (response.Snapshots ?? [])
            .Where(snapshot => WasMadeFor(snapshot.Description, imageId))
            .Select(snapshot => snapshot.SnapshotId)
            .ToArray();
    }

    /// <summary>
    /// True for "Created by CreateImage(i-…) for ami-…" and "Copied for DestinationAmi ami-… from SourceAmi …", EC2's
    /// descriptions of the snapshots it makes for an image; false for the source of a copy, whose snapshots are not its own.
    /// </summary>
    private static bool WasMadeFor(string? description, string imageId)
    {
        var words = (description ?? string.Empty).Split([' ', '(', ')', ','], StringSplitOptions.RemoveEmptyEntries);
        for (var i = 1; i < words.Length; i++)
        {
            if (words[i] == imageId && words[i - 1] is "for" or "DestinationAmi")
            {
                return true;
            }
        }

        return false;
    }
}
