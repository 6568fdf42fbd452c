using ImagePipeline.Abstractions;

namespace ImagePipeline.Core.Plugins;

/// <summary>Every plugin problem of a run, reported together.</summary>
public sealed class PluginLoadException(IReadOnlyList<string> problems)
    : PipelineException(string.Join(Environment.NewLine, problems), PipelineErrorKind.Input)
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
