using System.Text.Json;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.State;

namespace ImagePipeline.Strategies.Ebs.Steps;

/// <summary>Writes the outputs CI reads: image-id (home region) and image-ids (region → id, home region included).</summary>
public sealed class RecordImageIds(ICloudClients clients) : IPipelineStep
{
    public Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var home = clients.Region;
        var ids = new SortedDictionary<string, string>(StringComparer.Ordinal) { [home] = EbsState.HomeImageIdOf(context.State, home) };
        var replacements = context.State.GetOrDefault(EbsState.ReplacementImages, []);
        foreach (var (region, imageId) in context.State.GetOrDefault(EbsState.RegionCopies, []))
        {
            ids[region] = replacements.TryGetValue(region, out var replacement) ? replacement : imageId;
        }

        context.Outputs.Set(WellKnownOutputs.ImageId, ids[home]);
        context.Outputs.Set(WellKnownOutputs.ImageIds, JsonSerializer.Serialize(ids));
        context.Outputs.Set(WellKnownOutputs.Region, home);
        context.Note = string.Join(", ", ids.Select(pair => $"{pair.Key}: {pair.Value}"));
        return Task.CompletedTask;
    }
}
