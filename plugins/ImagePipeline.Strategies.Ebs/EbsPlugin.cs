using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Images;
using ImagePipeline.Strategies.Ebs.Instances;
using ImagePipeline.Strategies.Ebs.Strategies;
using ImagePipeline.Strategies.Ebs.Volumes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImagePipeline.Strategies.Ebs;

/// <summary>Registers the ebs/linux and ebs/windows strategies and the services their steps share (TryAdd, so each can be replaced).</summary>
public sealed class EbsPlugin : IPipelinePlugin
{
    public void ConfigureServices(IServiceCollection services)
    {
        services.AddImageStrategy<EbsLinuxStrategy>();
        services.AddImageStrategy<EbsWindowsStrategy>();
        services.TryAddSingleton<OwnedImages>();
        services.TryAddSingleton<ImageRemover>();
        services.TryAddSingleton<ImageWaiter>();
        services.TryAddSingleton<ImageReplacer>();
        services.TryAddSingleton<ImagePublisher>();
        services.TryAddSingleton<SourceInstance>();
        services.TryAddSingleton<CapturedImages>();
        services.TryAddSingleton<RootVolumes>();
        services.TryAddSingleton<RootVolumeAttachment>();
    }
}
