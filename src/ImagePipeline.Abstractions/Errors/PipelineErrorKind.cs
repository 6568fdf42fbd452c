namespace ImagePipeline.Abstractions;

public enum PipelineErrorKind
{
    /// <summary>A target failed while running (exit code 1).</summary>
    Failure,

    /// <summary>The input is wrong: parameters, files, plugins (exit code 2).</summary>
    Input,
}
