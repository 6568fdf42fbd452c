namespace ImagePipeline;

/// <summary>The one exception an ImagePipeline call throws: its <see cref="Kind"/> is the command's exit code, its message the error lines the command prints.</summary>
public sealed class ImagePipelineException : Exception
{
    public ImagePipelineException(ImagePipelineFailureKind kind, string message, string? runId = null)
        : base(message)
    {
        Kind = kind;
        RunId = runId;
    }

    public ImagePipelineFailureKind Kind { get; }

    /// <summary>The exit code the command would have returned (1, 2 or 130).</summary>
    public int ExitCode => (int)Kind;

    /// <summary>The run that failed, when one started (resume it with <see cref="ImagePipelineSettings.SetResume"/>).</summary>
    public string? RunId { get; }
}
