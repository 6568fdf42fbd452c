using ImagePipeline.Abstractions;

namespace ImagePipeline.Core.Plugins;

/// <summary>A plugin assembly that loaded, and the entry points found in it.</summary>
public sealed record LoadedPlugin(string Name, string AssemblyPath, IReadOnlyList<IPipelinePlugin> EntryPoints);
