using Amazon.EC2.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Parameters;
using ImagePipeline.Strategies.Ebs.State;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Strategies.Ebs.Images;

/// <summary>
/// Gives a new image the name of an old one without a moment where neither exists: the new image was made under a
/// temporary name and is available; only now is the old image removed, then the new one is copied (within its region,
/// which keeps billing codes, unlike registering its snapshots) under the final name, and the temporary one removed.
/// </summary>
public sealed class ImageReplacer(ICloudClients clients, OwnedImages images, ImageRemover remover, ImageWaiter waiter, ILogger<ImageReplacer> logger)
{
    /// <summary>Replaces the image named <paramref name="finalName"/>; returns the id of the image under that name.</summary>
    /// <param name="onRemovingOldImage">Called with the old image's id before it is removed (a lost answer may still have removed it).</param>
    /// <param name="onFinalImageCreated">Called with the final image's id as soon as it exists.</param>
    public async Task<string> ReplaceAsync(
        string region,
        string temporaryImageId,
        string finalName,
        string? description,
        bool deleteOldSnapshots,
        WaitSettings wait,
        Func<string, CancellationToken, Task> onRemovingOldImage,
        Func<string, CancellationToken, Task> onFinalImageCreated,
        CancellationToken cancellationToken)
    {
        if (await images.FindByNameAsync(region, finalName, cancellationToken) is { } old && old.ImageId != temporaryImageId)
        {
            await onRemovingOldImage(old.ImageId, cancellationToken);
            logger.ReplacingOldImage(old.ImageId, finalName, region);
            await remover.RemoveAsync(region, old.ImageId, deleteOldSnapshots, cancellationToken);
        }

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

    /// <summary>
    /// True when this run set out to replace an old image in the region and that image is gone: then the new image
    /// there must be kept even if the run failed, or the user would be left with no image of that name at all.
    /// </summary>
    public async Task<bool> OldImageIsGoneAsync(RunState state, string region, CancellationToken cancellationToken) =>
        state.GetOrDefault(EbsState.ReplacedImages, []).TryGetValue(region, out var oldImageId)
        && await images.FindAsync(region, oldImageId, cancellationToken) is null;
}
