using ImagePipeline.Host;
using ImagePipeline.Output;
using ImagePipeline.Core.Parameters;

namespace ImagePipeline.Targets;

/// <summary>What a utility target may use: the host's environment and console, the session's services and parameter catalog.</summary>
internal sealed record UtilityContext(HostEnvironment Environment, HostConsole Console, IServiceProvider Services, ParameterCatalog Catalog, bool Verbose)
{
    /// <summary>A path parameter's value as a full path (relative to the root), which must be a regular file of at most <paramref name="maxBytes"/>.</summary>
    public string RequireFile(ResolvedParameters parameters, ImagePipeline.Abstractions.Parameter<string> parameter, long maxBytes)
    {
        var value = parameters.GetOrDefault(parameter)
            ?? throw ImagePipeline.Abstractions.PipelineException.Input($"--{parameter.Name} is required here: pass --{parameter.Name} PATH.");
        var path = Environment.FullPath(value);
        return ImagePipeline.Abstractions.InputFile.Problem(path, $"--{parameter.Name} {path}", maxBytes) is { } problem
            ? throw ImagePipeline.Abstractions.PipelineException.Input(problem)
            : path;
    }
}
