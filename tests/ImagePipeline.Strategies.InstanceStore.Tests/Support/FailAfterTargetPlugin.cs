using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Strategies;
using Microsoft.Extensions.DependencyInjection;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>Registers the real strategies, but with <see cref="InjectedFailureStep"/> appended to one target.</summary>
public sealed class FailAfterTargetPlugin(PipelineTarget failAfter) : IPipelinePlugin
{
    public void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IImageStrategy>(new FailingStrategy(new InstanceStoreLinuxStrategy(), failAfter));
        services.AddSingleton<IImageStrategy>(new FailingStrategy(new InstanceStoreWindowsStrategy(), failAfter));
    }

    private sealed class FailingStrategy(IImageStrategy inner, PipelineTarget failAfter) : IImageStrategy
    {
        public StrategyKey Key => inner.Key;

        public string Description => inner.Description;

        public IReadOnlyList<ParameterDefinition> Parameters => inner.Parameters;

        public TargetPlan Plan(PipelineTarget target, IParameterValues parameters)
        {
            var plan = inner.Plan(target, parameters);
            return target == failAfter ? TargetPlan.Run([.. plan.Steps, typeof(InjectedFailureStep)]) : plan;
        }

        public ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken) => inner.ValidateAsync(context, cancellationToken);
    }
}
