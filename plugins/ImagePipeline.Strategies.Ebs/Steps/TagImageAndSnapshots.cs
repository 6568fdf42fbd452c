using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Images;
using ImagePipeline.Strategies.Ebs.Parameters;
using ImagePipeline.Strategies.Ebs.State;

namespace ImagePipeline.Strategies.Ebs.Steps;

/// <summary>Puts --tags on the image and --snapshot-tags on its snapshots. The tags go with the image; nothing to undo apart from it.</summary>
public sealed class TagImageAndSnapshots(ICloudClients clients, ImagePublisher publisher) : IPipelineStep
{
    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var imageId = EbsState.HomeImageIdOf(context.State, clients.Region);
        var tags = ImageTags(context);
        var snapshotTags = TagList.Parse(context.Parameters.Get(EbsParameters.SnapshotTags));
        await publisher.TagAsync(clients.Region, imageId, tags, snapshotTags, cancellationToken);
        context.Note = $"{tags.Count - 1} image tag(s), {snapshotTags.Count} snapshot tag(s)";
    }

    /// <summary>--tags, plus the mark that the run published the image.</summary>
    public static IReadOnlyDictionary<string, string> ImageTags(StepContext context) =>
        new Dictionary<string, string>(TagList.Parse(context.Parameters.Get(CommonParameters.Tags)), StringComparer.Ordinal)
        {
            [EbsTags.Published] = "true",
        };
}
