using ImagePipeline.Abstractions;

namespace ImagePipeline.Core.Plugins;

/// <summary>A plugin assembly that loaded, the entry points found in it, and whether it came from the host's own plugins folder.</summary>
public sealed record LoadedPlugin(string Name, string AssemblyPath, IReadOnlyList<IPipelinePlugin> EntryPoints)
{
    /// <summary>True for the plugins shipped beside the host; false for those given with --plugin.</summary>
    public bool IsBuiltIn { get; init; }
}
