using ImagePipeline.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImagePipeline.Aws;

public static class AwsServiceCollectionExtensions
{
    /// <summary>Registers the run's <see cref="ICloudClients"/> built from <paramref name="settings"/>.</summary>
    public static IServiceCollection AddAwsCloud(this IServiceCollection services, AwsCloudSettings settings)
    {
        services.TryAddSingleton(settings);
        services.TryAddSingleton<AwsCloudClients>();
        services.TryAddSingleton<ICloudClients>(provider => provider.GetRequiredService<AwsCloudClients>());
        return services;
    }
}
