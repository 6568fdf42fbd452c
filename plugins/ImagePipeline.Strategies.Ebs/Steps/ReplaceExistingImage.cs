using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Images;
using ImagePipeline.Strategies.Ebs.Parameters;
using ImagePipeline.Strategies.Ebs.State;

namespace ImagePipeline.Strategies.Ebs.Steps;

/// <summary>
/// --force-deregister: now that the new image is available, removes the old image of the same name and gives the new
/// one that name (see <see cref="ImageReplacer"/>). Nothing to do when no image had the name.
/// </summary>
public sealed class ReplaceExistingImage(ICloudClients clients, ImageReplacer replacer, ImageRemover remover) : IPipelineStep
{
    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var region = clients.Region;
        var captured = context.State.Get(EbsState.CapturedImage);
        if (!captured.HasTemporaryName)
        {
            context.Note = "no image to replace";
            return;
        }

        var finalId = await replacer.ReplaceAsync(
            region,
            captured.ImageId,
            captured.FinalName,
            context.Parameters.GetOrDefault(CommonParameters.ImageDescription),
            context.Parameters.Get(EbsParameters.ForceDeleteSnapshots),
            WaitSettings.From(context.Parameters),
            async (oldImageId, token) =>
            {
                var replaced = context.State.GetOrDefault(EbsState.ReplacedImages, []);
                replaced[region] = oldImageId;
                context.State.Set(EbsState.ReplacedImages, replaced);
                await context.CheckpointAsync(token);
            },
            async (imageId, token) =>
            {
                var replacements = context.State.GetOrDefault(EbsState.ReplacementImages, []);
                replacements[region] = imageId;
                context.State.Set(EbsState.ReplacementImages, replacements);
                await context.CheckpointAsync(token);
            },
            cancellationToken);
        context.Outputs.Set(WellKnownOutputs.ImageId, finalId);
        context.Note = $"{finalId} is now '{captured.FinalName}'";
    }

    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        var region = clients.Region;
        if (!context.State.GetOrDefault(EbsState.ReplacementImages, []).TryGetValue(region, out var imageId))
        {
            return CleanupOutcome.NothingToUndo;
        }

        if (!context.ShouldUndo)
        {
            return CleanupOutcome.Kept;
        }

        if (await replacer.OldImageIsGoneAsync(context.State, region, cancellationToken))
        {
            context.Logger.KeepingImageAfterReplacement(imageId, region);
            return CleanupOutcome.Kept;
        }

        // The old image is still there (someone else removed it before us, or it was never there): the new one can go.
        context.Logger.RemovingFailedImage(imageId, region);
        await remover.RemoveAsync(region, imageId, deleteSnapshots: true, cancellationToken);
        var replacements = context.State.GetOrDefault(EbsState.ReplacementImages, []);
        replacements.Remove(region);
        context.State.Set(EbsState.ReplacementImages, replacements);
        return CleanupOutcome.Undone;
    }
}
