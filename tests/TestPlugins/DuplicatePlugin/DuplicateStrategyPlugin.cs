using ImagePipeline.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace DuplicatePlugin;

/// <summary>Claims the same strategy as the sample plugin, so the host must refuse the pair.</summary>
public sealed class DuplicateStrategyPlugin : IPipelinePlugin
{
    public void ConfigureServices(IServiceCollection services) => services.AddImageStrategy<SameKeyStrategy>();
}

public sealed class SameKeyStrategy : IImageStrategy
{
    public StrategyKey Key => new(BackingStore.InstanceStore, Platform.Windows);

    public string Description => "Claims instance-store/windows too.";

    public IReadOnlyList<ParameterDefinition> Parameters => [];

    public TargetPlan Plan(PipelineTarget target, IParameterValues parameters) => TargetPlan.NotApplicable("duplicate");
}
