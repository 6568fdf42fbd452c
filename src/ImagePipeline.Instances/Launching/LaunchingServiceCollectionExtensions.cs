using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImagePipeline.Instances.Launching;

/// <summary>The services LaunchInstance's steps take.</summary>
public static class LaunchingServiceCollectionExtensions
{
    public static IServiceCollection AddLaunching(this IServiceCollection services)
    {
        services.TryAddSingleton<SourceImages>();
        services.TryAddSingleton(_ => new PublicAddressLookup(new HttpClient()));
        return services;
    }
}
