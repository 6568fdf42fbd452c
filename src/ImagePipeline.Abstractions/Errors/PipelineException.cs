namespace ImagePipeline.Abstractions;

/// <summary>
/// An error a user can meet: what happened and how to fix it, in one line. The host prints <see cref="Exception.Message"/>
/// without a stack trace (unless <c>--verbose</c>) and exits 2 for <see cref="PipelineErrorKind.Input"/>, 1 otherwise.
/// Never put a secret in the message.
/// </summary>
public class PipelineException : Exception
{
    public PipelineException(string message, PipelineErrorKind kind = PipelineErrorKind.Failure, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public PipelineException()
        : this("The pipeline failed.")
    {
    }

    public PipelineException(string message)
        : this(message, PipelineErrorKind.Failure)
    {
    }

    public PipelineException(string message, Exception innerException)
        : this(message, PipelineErrorKind.Failure, innerException)
    {
    }

    public PipelineErrorKind Kind { get; }

    /// <summary>An input error: the user's parameters, files or plugins are wrong. Exit code 2.</summary>
    public static PipelineException Input(string message, Exception? innerException = null) =>
        new(message, PipelineErrorKind.Input, innerException);
}
