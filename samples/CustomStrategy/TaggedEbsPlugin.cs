using CustomStrategy.Strategies;
using ImagePipeline.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace CustomStrategy;

/// <summary>
/// The plugin's entry point: the host finds this public class (it implements <see cref="IPipelinePlugin"/> and has a
/// parameterless constructor) and calls <see cref="ConfigureServices"/> once. Steps need no registration.
/// </summary>
public sealed class TaggedEbsPlugin : IPipelinePlugin
{
    public void ConfigureServices(IServiceCollection services) => services.AddImageStrategy<TaggedEbsStrategy>();
}
