namespace ImagePipeline.Testing;

/// <summary>The image and snapshot ids an account owns at one moment, to check a failed run left nothing behind.</summary>
public sealed record ResourceCensus(IReadOnlyList<string> ImageIds, IReadOnlyList<string> SnapshotIds)
{
    public ResourceCensus NewSince(ResourceCensus before) =>
        new(ImageIds.Except(before.ImageIds).ToArray(), SnapshotIds.Except(before.SnapshotIds).ToArray());
}
