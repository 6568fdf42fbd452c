using ImagePipeline.Abstractions;

namespace ImagePipeline.Core.Sessions;

/// <summary>Every validation error of a run, found before anything ran.</summary>
public sealed class ValidationFailedException(IReadOnlyList<string> errors)
    : PipelineException(string.Join(Environment.NewLine, errors), PipelineErrorKind.Input)
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
