using Amazon.EC2;
using Amazon.EC2.Model;

namespace ImagePipeline.Strategies.Ebs;

/// <summary>The tags this plugin puts on what it creates, so a cleanup can find an image whose id a lost response never told it.</summary>
internal static class EbsTags
{
    public const string RunId = "imagepipeline:run-id";

    public static List<Tag> From(IReadOnlyDictionary<string, string> tags) =>
        tags.Select(pair => new Tag(pair.Key, pair.Value)).ToList();

    public static TagSpecification Specification(ResourceType resourceType, IReadOnlyDictionary<string, string> tags, string runId)
    {
        var all = From(tags);
        all.Add(new Tag(RunId, runId));
        return new TagSpecification { ResourceType = resourceType, Tags = all };
    }
}
