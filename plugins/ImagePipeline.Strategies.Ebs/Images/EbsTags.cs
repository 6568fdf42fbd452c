using Amazon.EC2;
using Amazon.EC2.Model;

namespace ImagePipeline.Strategies.Ebs.Images;

/// <summary>The tags this plugin puts on what it creates, so a cleanup can find an image whose id a lost response never told it.</summary>
internal static class EbsTags
{
    public const string RunId = "imagepipeline:run-id";

    /// <summary>
    /// Put, with the instance id, on the volume an instance-store-backed instance's root file system is imaged onto and
    /// on its snapshot: a launched instance's own volumes carry the run id too, and must never be taken for them.
    /// </summary>
    public const string RootVolumeOf = "imagepipeline:root-volume-of";

    /// <summary>Put on an image once a run has published it (RegisterImage), so that it is no longer mistaken for the unfinished image of a resumed run.</summary>
    public const string Published = "imagepipeline:published";

    /// <summary>
    /// True for an image an unfinished run created (tagged with a run id, never published). Validation cannot tell
    /// whether the run being resumed is that run, so it lets such a name conflict pass and <see cref="ResolveImageName"/>,
    /// which sees the run state, decides before the instance is touched.
    /// </summary>
    public static bool IsUnfinishedRunImage(Image image) =>
        (image.Tags ?? []).Any(tag => tag.Key == RunId) && (image.Tags ?? []).All(tag => tag.Key != Published);

    public static bool IsFromRun(Image image, string runId) =>
        (image.Tags ?? []).Any(tag => tag.Key == RunId && tag.Value == runId);

    /// <summary>True for a root volume or snapshot this run made (<see cref="RootVolumeOf"/>, and the run id).</summary>
    public static bool IsRootVolumeOfRun(IEnumerable<Tag>? tags, string runId) =>
        (tags ?? []).Any(tag => tag.Key == RunId && tag.Value == runId) && (tags ?? []).Any(tag => tag.Key == RootVolumeOf);

    public static List<Tag> From(IReadOnlyDictionary<string, string> tags) =>
        tags.Select(pair => new Tag(pair.Key, pair.Value)).ToList();

    public static TagSpecification Specification(ResourceType resourceType, IReadOnlyDictionary<string, string> tags, string runId)
    {
        var all = From(tags);
        all.Add(new Tag(RunId, runId));
        return new TagSpecification { ResourceType = resourceType, Tags = all };
    }
}
