using ImagePipeline.Abstractions;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Strategies.Ebs;

/// <summary>
/// --force-deregister: now that the new image is available, removes the old image of the same name and gives the new
/// one that name (see <see cref="ImageReplacer"/>). Nothing to do when no image had the name.
/// </summary>
public sealed class ReplaceExistingImage(ICloudClients clients, ImageReplacer replacer, ILogger<ReplaceExistingImage> logger) : IPipelineStep
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
            async token =>
            {
                context.State.Set(EbsState.RegionsWithOldImageRemoved, [.. context.State.GetOrDefault(EbsState.RegionsWithOldImageRemoved, []), region]);
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

    public Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        var region = clients.Region;
        if (!context.State.GetOrDefault(EbsState.ReplacementImages, []).TryGetValue(region, out var imageId))
        {
            return Task.FromResult(CleanupOutcome.NothingToUndo);
        }

        // The old image is gone by the time the replacement exists: undoing it would leave the user with no image at all.
        if (context.ShouldUndo)
        {
            logger.KeepingImageAfterReplacement(imageId, region);
        }

        return Task.FromResult(CleanupOutcome.Kept);
    }
}
