using Amazon.EC2.Model;
using ImagePipeline.Abstractions;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Strategies.Ebs;

/// <summary>
/// Gives a new image the name of an old one without a moment where neither exists: the new image was made under a
/// temporary name and is available; only now is the old image removed, then the new one is copied (within its region,
/// which keeps billing codes, unlike registering its snapshots) under the final name, and the temporary one removed.
/// </summary>
public sealed class ImageReplacer(ICloudClients clients, OwnedImages images, ImageRemover remover, ImageWaiter waiter, ILogger<ImageReplacer> logger)
{
    /// <summary>Replaces the image named <paramref name="finalName"/>; returns the id of the image under that name.</summary>
    /// <param name="onOldImageRemoved">Called once the old image is gone: from then on the new one must never be undone.</param>
    /// <param name="onFinalImageCreated">Called with the final image's id as soon as it exists.</param>
    public async Task<string> ReplaceAsync(
        string region,
        string temporaryImageId,
        string finalName,
        string? description,
        bool deleteOldSnapshots,
        WaitSettings wait,
        Func<CancellationToken, Task> onOldImageRemoved,
        Func<string, CancellationToken, Task> onFinalImageCreated,
        CancellationToken cancellationToken)
    {
        if (await images.FindByNameAsync(region, finalName, cancellationToken) is { } old && old.ImageId != temporaryImageId)
        {
            logger.ReplacingOldImage(old.ImageId, finalName, region);
            await remover.RemoveAsync(region, old.ImageId, deleteOldSnapshots, cancellationToken);
        }

        await onOldImageRemoved(cancellationToken);
        var copy = await clients.Ec2(region).CopyImageAsync(
            new CopyImageRequest
            {
                SourceRegion = region,
                SourceImageId = temporaryImageId,
                Name = finalName,
                Description = description,
            },
            cancellationToken);
        await onFinalImageCreated(copy.ImageId, cancellationToken);
        await waiter.WaitUntilAvailableAsync(region, copy.ImageId, wait, progress: null, cancellationToken);
        await remover.RemoveAsync(region, temporaryImageId, deleteSnapshots: true, cancellationToken);
        return copy.ImageId;
    }
}
