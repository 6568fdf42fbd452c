using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Images;
using ImagePipeline.Strategies.Ebs.Parameters;
using ImagePipeline.Strategies.Ebs.State;

namespace ImagePipeline.Strategies.Ebs.Steps;

/// <summary>Schedules the image's deprecation at --deprecate-at. It goes with the image when a failed run removes it.</summary>
public sealed class DeprecateImage(ICloudClients clients, ImagePublisher publisher) : IPipelineStep
{
    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var imageId = EbsState.HomeImageIdOf(context.State, clients.Region);
        EbsParameters.TryParseUtc(context.Parameters.Get(EbsParameters.DeprecateAt), out var deprecateAt);
        await publisher.DeprecateAsync(clients.Region, imageId, deprecateAt, cancellationToken);
        context.Note = $"deprecated from {deprecateAt:O}";
    }
}
