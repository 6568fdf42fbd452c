using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Images;
using ImagePipeline.Strategies.Ebs.State;

namespace ImagePipeline.Strategies.Ebs.Steps;

/// <summary>
/// Expands --ami-name once (so a resumed run keeps the same name) and makes sure no image of the caller already has
/// it, before the instance is touched. With --force-deregister an existing image is replaced later, once the new one is available.
/// </summary>
public sealed class ResolveImageName(ICloudClients clients, OwnedImages images, ImageNameTemplate names) : IPipelineStep
{
    public async ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        // A missing --ami-name is reported once, by the strategy; a taken name is no problem with --force-deregister.
        if (await names.ValidateAsync(context, cancellationToken) is not { } name || context.Parameters.Get(CommonParameters.ForceDeregister))
        {
            return;
        }

        if (await images.FindByNameAsync(clients.Region, name, cancellationToken) is { } existing && !EbsTags.IsUnfinishedRunImage(existing))
        {
            context.AddError(NameTaken(name, clients.Region, existing.ImageId).Message);
        }
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (!context.State.TryGet(EbsState.ImageName, out var name))
        {
            name = await names.ExpandAsync(context.Parameters.Get(CommonParameters.ImageName), cancellationToken);
            context.State.Set(EbsState.ImageName, name);
            await context.CheckpointAsync(cancellationToken);
        }

        // Checked again with the run state at hand: validation let an unfinished run's image pass, in case it was this run's.
        if (!context.Parameters.Get(CommonParameters.ForceDeregister)
            && await images.FindByNameAsync(clients.Region, name, cancellationToken) is { } existing
            && !EbsTags.IsFromRun(existing, context.RunId))
        {
            throw NameTaken(name, clients.Region, existing.ImageId);
        }

        context.Note = name;
    }

    public static PipelineException NameTaken(string name, string region, string imageId) =>
        PipelineException.Input(
            $"You already own an image named '{name}' in {region} ({imageId}); choose another --ami-name (placeholders such as {{timestamp}} help), or pass --force-deregister to replace it once the new image is available.");
}
