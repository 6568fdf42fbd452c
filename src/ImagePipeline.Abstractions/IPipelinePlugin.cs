using Microsoft.Extensions.DependencyInjection;

namespace ImagePipeline.Abstractions;

/// <summary>
/// The entry point of a strategy plugin: a public class with a parameterless constructor. The host finds it in the
/// plugin assembly, loads the assembly in its own load context, and calls <see cref="ConfigureServices"/> once.
/// </summary>
public interface IPipelinePlugin
{
    /// <summary>Registers the plugin's strategies (<see cref="PluginServiceCollectionExtensions.AddImageStrategy{TStrategy}"/>) and services (use TryAdd so users can replace them).</summary>
    void ConfigureServices(IServiceCollection services);
}
