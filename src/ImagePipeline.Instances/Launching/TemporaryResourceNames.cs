using Amazon.EC2.Model;

namespace ImagePipeline.Instances.Launching;

/// <summary>How a run names and tags the key pair and security group it makes, so that a sweep can find the ones a crash left.</summary>
public static class TemporaryResourceNames
{
    /// <summary>The tag every temporary resource carries, with the run id as value.</summary>
    public const string RunIdTag = "imagepipeline:run-id";

    public static string For(string runId) => $"imagepipeline-{runId}";

    public static TagSpecification Tags(string resourceType, string runId) =>
        new() { ResourceType = resourceType, Tags = [new Tag(RunIdTag, runId), new Tag("Name", For(runId))] };
}
