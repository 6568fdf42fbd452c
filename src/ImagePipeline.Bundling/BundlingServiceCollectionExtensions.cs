using ImagePipeline.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Bundling;

public static class BundlingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ImageBundler"/> as the <see cref="IImageBundler"/> and <see cref="ManifestSealer"/> as the
    /// <see cref="IManifestSealer"/> (once; an earlier registration wins).
    /// </summary>
    public static IServiceCollection AddImageBundler(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IImageBundler>(provider => new ImageBundler(
            provider.GetService<ILogger<ImageBundler>>(),
            provider.GetService<TimeProvider>()));
        services.TryAddSingleton<IManifestSealer, ManifestSealer>();
        return services;
    }
}
