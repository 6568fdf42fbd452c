using ImagePipeline.Abstractions;
using ImagePipeline.Instances.Launching;
using ImagePipeline.Instances.Remote;
using ImagePipeline.Instances.VolumeBundling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImagePipeline.Instances;

/// <summary>Registers the instance library's services with the host's container.</summary>
public static class InstancesServiceCollectionExtensions
{
    /// <summary>The one <see cref="IRemoteShell"/> (SSH) every step and plugin logs in to instances with, and the one <see cref="IVolumeBundlerAgent"/> run over it.</summary>
    public static IServiceCollection AddRemoteShell(this IServiceCollection services)
    {
        services.TryAddSingleton<IRemoteShell, SshRemoteShell>();
        services.TryAddSingleton<IVolumeBundlerAgent, VolumeBundlerAgent>();
        return services;
    }

    /// <summary>The services LaunchInstance's steps take.</summary>
    public static IServiceCollection AddLaunching(this IServiceCollection services)
    {
        services.TryAddSingleton<SourceImages>();
        services.TryAddSingleton<InstanceRootLookup>();
        services.TryAddSingleton(_ => new PublicAddressLookup(new HttpClient()));
        return services;
    }
}
