using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Strategies;
using Microsoft.Extensions.DependencyInjection;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>Registers the real strategies, but with the test step <paramref name="step"/> appended to one target.</summary>
public class AppendedStepPlugin(PipelineTarget target, Type step) : IPipelinePlugin
{
    public void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IImageStrategy>(new AppendingStrategy(new InstanceStoreLinuxStrategy(), target, step));
        services.AddSingleton<IImageStrategy>(new AppendingStrategy(new InstanceStoreWindowsStrategy(), target, step));
    }

    private sealed class AppendingStrategy(IImageStrategy inner, PipelineTarget target, Type step) : IImageStrategy
    {
        public StrategyKey Key => inner.Key;

        public string Description => inner.Description;

        public IReadOnlyList<ParameterDefinition> Parameters => inner.Parameters;

        public TargetPlan Plan(PipelineTarget planned, IParameterValues parameters)
        {
            var plan = inner.Plan(planned, parameters);
            return planned == target ? TargetPlan.Run([.. plan.Steps, step]) : plan;
        }

        public ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken) => inner.ValidateAsync(context, cancellationToken);
    }
}
