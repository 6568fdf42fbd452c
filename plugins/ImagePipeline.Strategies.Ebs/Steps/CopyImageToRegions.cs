using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Images;
using ImagePipeline.Strategies.Ebs.Parameters;
using ImagePipeline.Strategies.Ebs.State;

namespace ImagePipeline.Strategies.Ebs.Steps;

/// <summary>
/// Copies the published image to --copy-to-regions in parallel (optionally encrypted), waits for each copy and
/// publishes it like the original (tags, launch permissions, deprecation). A failed run removes the copies it made.
/// </summary>
public sealed class CopyImageToRegions(
    ICloudClients clients,
    OwnedImages images,
    ImageWaiter waiter,
    ImageReplacer replacer,
    ImagePublisher publisher,
    ImageRemover remover,
    ImageNameTemplate names) : IPipelineStep
{
    public async ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        // A missing --ami-name is reported once, by the strategy; a taken name is no problem with --force-deregister.
        if (await names.ValidateAsync(context, cancellationToken) is not { } name || context.Parameters.Get(CommonParameters.ForceDeregister))
        {
            return;
        }

        foreach (var region in context.Parameters.Get(EbsParameters.CopyToRegions).Where(region => region != clients.Region))
        {
            if (await images.FindByNameAsync(region, name, cancellationToken) is { } existing && !EbsTags.IsUnfinishedRunImage(existing))
            {
                context.AddError($"You already own an image named '{name}' in {region} ({existing.ImageId}), a region of --copy-to-regions; choose another --ami-name, or pass --force-deregister to replace it once the copy is available.");
            }
        }
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var regions = context.Parameters.Get(EbsParameters.CopyToRegions).Where(region => region != clients.Region).Distinct(StringComparer.Ordinal).ToArray();
        using var progress = context.Progress.Start($"Copying the image to {regions.Length} region(s)", regions.Length, ProgressUnit.Items);

        // Parallel copies share the run state; this keeps their read-modify-write of its dictionaries whole.
        using var stateGate = new SemaphoreSlim(1, 1);
        async Task UpdateStateAsync(Action<RunState> update, CancellationToken token)
        {
            await stateGate.WaitAsync(token);
            try
            {
                update(context.State);
                await context.CheckpointAsync(token);
            }
            finally
            {
                stateGate.Release();
            }
        }

        var copies = await Task.WhenAll(regions.Select(async region =>
        {
            var imageId = await CopyToAsync(context, region, UpdateStateAsync, cancellationToken);
            progress.Advance(1);
            return (Region: region, ImageId: imageId);
        }));
        context.Note = string.Join(", ", copies.Select(copy => $"{copy.Region}: {copy.ImageId}"));
    }

    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        var copies = context.State.GetOrDefault(EbsState.RegionCopies, []);
        if (!context.ShouldUndo)
        {
            foreach (var (region, imageId) in copies.Where(_ => context.Outcome != RunOutcome.Succeeded))
            {
                context.Logger.KeepingImageOnFailure(imageId, region);
            }

            return copies.Count > 0 ? CleanupOutcome.Kept : CleanupOutcome.NothingToUndo;
        }

        var replacements = context.State.GetOrDefault(EbsState.ReplacementImages, []);
        var regions = context.Parameters.Get(EbsParameters.CopyToRegions).Where(region => region != clients.Region).Distinct(StringComparer.Ordinal);
        var removedAny = false;
        foreach (var region in regions)
        {
            if (await replacer.OldImageIsGoneAsync(context.State, region, cancellationToken))
            {
                context.Logger.KeepingImageAfterReplacement(replacements.GetValueOrDefault(region) ?? copies.GetValueOrDefault(region) ?? "(unknown)", region);
                continue;
            }

            // The id is recorded as soon as CopyImage answers; when its answer was lost, the run-id tag still finds the copy.
            var imageIds = (await images.FindByRunAsync(region, context.RunId, cancellationToken)).Select(image => image.ImageId).ToHashSet(StringComparer.Ordinal);
            if (copies.TryGetValue(region, out var recorded))
            {
                imageIds.Add(recorded);
            }

            if (replacements.TryGetValue(region, out var replacement))
            {
                imageIds.Add(replacement);
            }

            foreach (var imageId in imageIds)
            {
                context.Logger.RemovingFailedImage(imageId, region);
                removedAny |= await remover.RemoveAsync(region, imageId, deleteSnapshots: true, cancellationToken);
            }

            copies.Remove(region);
        }

        context.State.Set(EbsState.RegionCopies, copies);
        return removedAny ? CleanupOutcome.Undone : CleanupOutcome.NothingToUndo;
    }

    private async Task<string> CopyToAsync(
        StepContext context, string region, Func<Action<RunState>, CancellationToken, Task> updateState, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var home = clients.Region;
        var sourceImageId = EbsState.HomeImageIdOf(context.State, home);
        var finalName = context.State.Get(EbsState.ImageName);
        var description = parameters.GetOrDefault(CommonParameters.ImageDescription);
        var wait = WaitSettings.From(parameters);

        if (context.State.GetOrDefault(EbsState.ReplacementImages, []).TryGetValue(region, out var replaced))
        {
            // A resumed run whose copy already replaced the old image there.
            await PublishAsync(context, region, replaced, cancellationToken);
            return replaced;
        }

        if (!context.State.GetOrDefault(EbsState.RegionCopies, []).TryGetValue(region, out var copyId))
        {
            var existing = await images.FindByNameAsync(region, finalName, cancellationToken);
            if (existing is not null && !parameters.Get(CommonParameters.ForceDeregister))
            {
                throw ResolveImageName.NameTaken(finalName, region, existing.ImageId);
            }

            var encrypt = parameters.Get(EbsParameters.EncryptCopies);
            var response = await clients.Ec2(region).CopyImageAsync(
                new CopyImageRequest
                {
                    SourceRegion = home,
                    SourceImageId = sourceImageId,
                    Name = existing is null ? finalName : TemporaryImageName.For(finalName, context.RunId),
                    Description = description,
                    Encrypted = encrypt ? true : null,
                    KmsKeyId = encrypt ? parameters.GetOrDefault(EbsParameters.KmsKeyId) : null,
                    ClientToken = $"{context.RunId}-{region}",

                    // Only the image is tagged here: the local cloud refuses snapshot tag specifications on CopyImage (AWS accepts them);
                    // the snapshots get --snapshot-tags once the copy is available.
                    TagSpecifications = [EbsTags.Specification(ResourceType.Image, TagList.Parse(parameters.Get(CommonParameters.Tags)), context.RunId)],
                },
                cancellationToken);
            copyId = response.ImageId;
            await updateState(state => state.Set(EbsState.RegionCopies, WithEntry(state.GetOrDefault(EbsState.RegionCopies, []), region, copyId)), cancellationToken);
            context.Logger.CopyingImage(sourceImageId, region, copyId);
        }

        await waiter.WaitUntilAvailableAsync(region, copyId, wait, progress: null, cancellationToken);
        var finalId = copyId;
        if (await images.FindAsync(region, copyId, cancellationToken) is { } copy && copy.Name != finalName)
        {
            finalId = await replacer.ReplaceAsync(
                region,
                copyId,
                finalName,
                description,
                parameters.Get(EbsParameters.ForceDeleteSnapshots),
                wait,
                (oldImageId, token) => updateState(state => state.Set(EbsState.ReplacedImages, WithEntry(state.GetOrDefault(EbsState.ReplacedImages, []), region, oldImageId)), token),
                (imageId, token) => updateState(state => state.Set(EbsState.ReplacementImages, WithEntry(state.GetOrDefault(EbsState.ReplacementImages, []), region, imageId)), token),
                cancellationToken);
        }

        await PublishAsync(context, region, finalId, cancellationToken);
        return finalId;
    }

    private async Task PublishAsync(StepContext context, string region, string imageId, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        await publisher.TagAsync(
            region, imageId, TagImageAndSnapshots.ImageTags(context), TagList.Parse(parameters.Get(EbsParameters.SnapshotTags)), cancellationToken);
        await publisher.ShareAsync(region, imageId, parameters.Get(EbsParameters.ShareWithAccounts), parameters.Get(EbsParameters.ShareWithOrgArns), cancellationToken);
        if (parameters.IsSet(EbsParameters.DeprecateAt) && EbsParameters.TryParseUtc(parameters.Get(EbsParameters.DeprecateAt), out var deprecateAt))
        {
            await publisher.DeprecateAsync(region, imageId, deprecateAt, cancellationToken);
        }
    }

    private static Dictionary<string, string> WithEntry(Dictionary<string, string> values, string key, string value)
    {
        values[key] = value;
        return values;
    }
}
