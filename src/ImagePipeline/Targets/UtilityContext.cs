using ImagePipeline.Host;
using ImagePipeline.Output;
using ImagePipeline.Core.Parameters;

namespace ImagePipeline.Targets;

/// <summary>What a utility target may use: the host's environment and console, the session's services and parameter catalog.</summary>
internal sealed record UtilityContext(HostEnvironment Environment, HostConsole Console, IServiceProvider Services, ParameterCatalog Catalog, bool Verbose)
{
    /// <summary>A path parameter's value as a full path (relative to the root), which must be an existing file.</summary>
    public string RequireFile(ResolvedParameters parameters, ImagePipeline.Abstractions.Parameter<string> parameter)
    {
        var value = parameters.GetOrDefault(parameter)
            ?? throw ImagePipeline.Abstractions.PipelineException.Input($"--{parameter.Name} is required here: pass --{parameter.Name} PATH.");
        var path = Environment.FullPath(value);
        return File.Exists(path) ? path : throw ImagePipeline.Abstractions.PipelineException.Input($"--{parameter.Name}: {path} does not exist.");
    }
}
