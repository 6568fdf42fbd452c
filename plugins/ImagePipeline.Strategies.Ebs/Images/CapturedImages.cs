using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.State;
using ImagePipeline.Strategies.Ebs.Steps;

namespace ImagePipeline.Strategies.Ebs.Images;

/// <summary>
/// What the two ways of making the image (CreateImage of an instance, RegisterImage of a snapshot) share: the name it is
/// made under, recording it at once in <see cref="EbsState.CapturedImage"/> (which the publish steps read), and removing
/// it, with its snapshots, after a failure.
/// </summary>
public sealed class CapturedImages(ICloudClients clients, OwnedImages images, ImageRemover remover, ImageReplacer replacer)
{
    /// <summary>The final name, or a temporary one while an image of the final name exists and --force-deregister replaces it.</summary>
    public async Task<(string CreatedName, string FinalName)> NamesAsync(StepContext context, CancellationToken cancellationToken)
    {
        var finalName = context.State.Get(EbsState.ImageName);
        if (await images.FindByNameAsync(clients.Region, finalName, cancellationToken) is not { } existing)
        {
            return (finalName, finalName);
        }

        if (!context.Parameters.Get(CommonParameters.ForceDeregister))
        {
            throw ResolveImageName.NameTaken(finalName, clients.Region, existing.ImageId);
        }

        var createdName = TemporaryImageName.For(finalName, context.RunId);
        context.Logger.CreatingUnderTemporaryName(finalName, existing.ImageId, createdName);
        return (createdName, finalName);
    }

    /// <summary>Records the new image before anything else happens, so a failed run removes it and a resumed one reuses it.</summary>
    public async Task RecordAsync(StepContext context, string imageId, string createdName, string finalName, CancellationToken cancellationToken)
    {
        var image = new CapturedImage(imageId, createdName, finalName);
        context.State.Set(EbsState.CapturedImage, image);
        await context.CheckpointAsync(cancellationToken);
        context.Logger.ImageCreated(image.ImageId);
        context.Outputs.Set(WellKnownOutputs.ImageId, image.ImageId);
        context.Outputs.Set(WellKnownOutputs.Region, clients.Region);
        context.Note = image.ImageId;
    }

    /// <summary>The cleanup of the step that made the image: removes it and its snapshots after a failure, unless kept.</summary>
    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        var region = clients.Region;
        var captured = context.State.TryGet(EbsState.CapturedImage, out var image) ? image : null;
        if (!context.ShouldUndo)
        {
            if (captured is not null && context.Outcome != RunOutcome.Succeeded)
            {
                context.Logger.KeepingImageOnFailure(captured.ImageId, region);
            }

            return captured is null ? CleanupOutcome.NothingToUndo : CleanupOutcome.Kept;
        }

        if (await replacer.OldImageIsGoneAsync(context.State, region, cancellationToken))
        {
            if (captured is not null)
            {
                context.Logger.KeepingImageAfterReplacement(captured.ImageId, region);
            }

            return CleanupOutcome.Kept;
        }

        // The image id is recorded as soon as AWS answers; when its answer was lost, the run-id tag still finds the image.
        var imageIds = new HashSet<string>(StringComparer.Ordinal);
        if (captured is not null)
        {
            imageIds.Add(captured.ImageId);
        }

        foreach (var tagged in await images.FindByRunAsync(region, context.RunId, cancellationToken))
        {
            imageIds.Add(tagged.ImageId);
        }

        foreach (var imageId in imageIds)
        {
            context.Logger.RemovingFailedImage(imageId, region);
            await remover.RemoveAsync(region, imageId, deleteSnapshots: true, cancellationToken);
        }

        context.State.Remove(EbsState.CapturedImage);
        context.Outputs.Remove(WellKnownOutputs.ImageId);
        return imageIds.Count > 0 ? CleanupOutcome.Undone : CleanupOutcome.NothingToUndo;
    }
}
