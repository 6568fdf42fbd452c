using ImagePipeline.Aws;

namespace ImagePipeline;

/// <summary>What a successful ImagePipeline call made: the run, the cloud, and the outputs the run wrote.</summary>
public sealed record ImagePipelineResult
{
    /// <summary>The run's id (resume it with <see cref="ImagePipelineSettings.SetResume"/>); null for Validate, which runs nothing.</summary>
    public string? RunId { get; init; }

    public required CloudKind Cloud { get; init; }

    /// <summary>The strategy that ran, such as <c>instance-store/linux</c>.</summary>
    public required string Strategy { get; init; }

    public required string Target { get; init; }

    /// <summary>The new image's id in the run's region; null before RegisterImage.</summary>
    public string? ImageId { get; init; }

    /// <summary>The image id in every region it was published to (the run's region and each region copy).</summary>
    public IReadOnlyDictionary<string, string> ImageIds { get; init; } = new Dictionary<string, string>();

    /// <summary>The S3 location of the bundle's manifest (instance store), <c>bucket/prefix.manifest.xml</c>.</summary>
    public string? ManifestLocation { get; init; }

    public string? Bucket { get; init; }

    public string? Region { get; init; }
}
