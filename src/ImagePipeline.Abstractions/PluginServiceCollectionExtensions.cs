using Microsoft.Extensions.DependencyInjection;

namespace ImagePipeline.Abstractions;

public static class PluginServiceCollectionExtensions
{
    /// <summary>Registers a strategy. Its steps need no registration: the engine creates them with their constructor's services.</summary>
    public static IServiceCollection AddImageStrategy<TStrategy>(this IServiceCollection services)
        where TStrategy : class, IImageStrategy
    {
        services.AddSingleton<IImageStrategy, TStrategy>();
        return services;
    }
}
