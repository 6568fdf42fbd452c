using ImagePipeline.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace ThrowingPlugin;

/// <summary>
/// A plugin with a bug, loaded from disk by the tests: it throws an unexpected exception in the phase that --throw-in
/// names (resolve, plan, validate, run or cleanup), so the host's exit code and message can be checked for each phase.
/// </summary>
public sealed class ThrowingStrategyPlugin : IPipelinePlugin
{
    public void ConfigureServices(IServiceCollection services) => services.AddImageStrategy<ThrowingStrategy>();
}

public sealed class ThrowingStrategy : IImageStrategy
{
    public static readonly Parameter<string> ThrowIn = new(
        "throw-in",
        "The phase in which the throwing plugin throws: resolve, plan, validate, run or cleanup.",
        value => value == "resolve" ? throw new InvalidOperationException("the throwing plugin's parameter check failed") : null);

    public StrategyKey Key => new(BackingStore.InstanceStore, Platform.Windows);

    public string Description => "Test plugin: throws in the phase --throw-in names.";

    public IReadOnlyList<ParameterDefinition> Parameters => [ThrowIn];

    public TargetPlan Plan(PipelineTarget target, IParameterValues parameters) =>
        ThrowingStep.IsPhase(parameters, "plan")
            ? throw new InvalidOperationException("the throwing plugin's plan failed")
            : target == PipelineTarget.RegisterImage ? TargetPlan.Run<ThrowingStep>() : TargetPlan.NotApplicable("the throwing plugin has one step");
}

public sealed class ThrowingStep : IPipelineStep
{
    public static bool IsPhase(IParameterValues parameters, string phase) => parameters.GetOrDefault(ThrowingStrategy.ThrowIn) == phase;

    public ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken) =>
        IsPhase(context.Parameters, "validate")
            ? throw new InvalidOperationException("the throwing plugin's validation failed")
            : ValueTask.CompletedTask;

    public Task RunAsync(StepContext context, CancellationToken cancellationToken) =>
        IsPhase(context.Parameters, "run")
            ? throw new InvalidOperationException("the throwing plugin's step failed")
            : Task.CompletedTask;

    public Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken) =>
        IsPhase(context.Parameters, "cleanup")
            ? throw new InvalidOperationException("the throwing plugin's cleanup failed")
            : Task.FromResult(CleanupOutcome.NothingToUndo);
}
