using ImagePipeline.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImagePipeline.Aws;

public static class AwsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the run's <see cref="ICloudClients"/>, built from the <see cref="AwsCloudSettings"/> registered before
    /// this call (often a factory that reads the resolved parameters), or from <paramref name="settings"/> when given.
    /// </summary>
    public static IServiceCollection AddAwsCloud(this IServiceCollection services, AwsCloudSettings? settings = null)
    {
        if (settings is not null)
        {
            services.TryAddSingleton(settings);
        }

        services.TryAddSingleton<AwsCloudClients>();
        services.TryAddSingleton<ICloudClients>(provider => provider.GetRequiredService<AwsCloudClients>());
        return services;
    }
}
