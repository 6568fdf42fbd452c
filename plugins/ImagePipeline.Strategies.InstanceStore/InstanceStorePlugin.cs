using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Strategies;
using Microsoft.Extensions.DependencyInjection;

namespace ImagePipeline.Strategies.InstanceStore;

/// <summary>The instance-store (S3-backed) strategies: instance-store/linux and instance-store/windows.</summary>
public sealed class InstanceStorePlugin : IPipelinePlugin
{
    public void ConfigureServices(IServiceCollection services)
    {
        services.AddImageStrategy<InstanceStoreLinuxStrategy>();
        services.AddImageStrategy<InstanceStoreWindowsStrategy>();
    }
}
