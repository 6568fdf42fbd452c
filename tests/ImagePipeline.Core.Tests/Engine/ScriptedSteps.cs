using System.Collections.Concurrent;
using ImagePipeline.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Core.Tests.Engine;

/// <summary>What the scripted steps do and what they did: which step fails, which cleanup throws, and the journal of calls.</summary>
public sealed class Script
{
    public ConcurrentQueue<string> Journal { get; } = new();

    public string? FailingStep { get; set; }

    /// <summary>What <see cref="FailingStep"/> throws; a <see cref="PipelineException"/> naming the step when null.</summary>
    public Exception? Failure { get; set; }

    public string? ThrowingCleanup { get; set; }

    public string? CancelAtStep { get; set; }

    public CancellationTokenSource? Cancellation { get; set; }

    public IReadOnlyList<string> Entries => Journal.ToArray();
}

public static class ScriptKeys
{
    public static readonly StateKey<List<string>> Created = new("test.created");
}

public abstract class ScriptedStep(Script script) : IPipelineStep
{
    private string Name => GetType().Name;

    public virtual ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        script.Journal.Enqueue($"run {Name}");
        if (script.CancelAtStep == Name)
        {
            script.Cancellation!.Cancel();
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (script.FailingStep == Name)
        {
            throw script.Failure ?? new PipelineException($"{Name} failed on purpose");
        }

        var created = context.State.GetOrDefault(ScriptKeys.Created, []);
        created.Add(Name);
        context.State.Set(ScriptKeys.Created, created);
        context.Note = $"{Name} done";
        context.Logger.LogInformation("{Step} ran", Name);
        return Task.CompletedTask;
    }

    public Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        script.Journal.Enqueue($"cleanup {Name} {context.Outcome} undo={context.ShouldUndo}");
        if (script.ThrowingCleanup == Name)
        {
            throw new InvalidOperationException($"cleanup of {Name} broke");
        }

        return Task.FromResult(context.ShouldUndo && context.StepCompleted ? CleanupOutcome.Undone : CleanupOutcome.Kept);
    }
}

public sealed class PrepareStep(Script script) : ScriptedStep(script);

public sealed class CopyStep(Script script) : ScriptedStep(script);

public sealed class BundleStep(Script script) : ScriptedStep(script);

public sealed class UploadStep(Script script) : ScriptedStep(script);

/// <summary>A second step of BundleVolume (with --seal), working on what <see cref="BundleStep"/> made.</summary>
public sealed class SealStep(Script script) : ScriptedStep(script);

public sealed class RegisterStep(Script script) : ScriptedStep(script);

/// <summary>Validation that fails twice, to check every error is reported at once.</summary>
public sealed class PickyStep(Script script) : ScriptedStep(script)
{
    public override ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        context.Require(ScriptedStrategy.Label, "by the picky step");
        context.AddError("The picky step also dislikes the weather.");
        return ValueTask.CompletedTask;
    }
}

public sealed class ScriptedStrategy : IImageStrategy
{
    public static readonly Parameter<string> Label = new("label", "A label the scripted strategy reads.");

    public static readonly Parameter<string> Secret = new("api-token", "A secret the scripted strategy reads.") { IsSecret = true };

    public static readonly Parameter<bool> Picky = new("picky", "Adds a step whose validation fails.") { Default = false };

    public static readonly Parameter<bool> Seal = new("seal", "Adds a second step to BundleVolume.") { Default = false };

    public StrategyKey Key => new(BackingStore.Ebs, Platform.Linux);

    public string Description => "Scripted steps for engine tests.";

    public IReadOnlyList<ParameterDefinition> Parameters => [Label, Secret, Picky, Seal];

    public TargetPlan Plan(PipelineTarget target, IParameterValues parameters) => target switch
    {
        PipelineTarget.PrepareBucket => parameters.Get(Picky) ? TargetPlan.Run(typeof(PrepareStep), typeof(PickyStep)) : TargetPlan.Run<PrepareStep>(),
        PipelineTarget.CopyCertificates => TargetPlan.Run<CopyStep>(),
        PipelineTarget.BundleVolume => parameters.Get(Seal) ? TargetPlan.Run(typeof(BundleStep), typeof(SealStep)) : TargetPlan.Run<BundleStep>(),
        PipelineTarget.UploadBundle => TargetPlan.Run<UploadStep>(),
        _ => TargetPlan.Run<RegisterStep>(),
    };
}

public sealed class ScriptedPlugin(Script script) : IPipelinePlugin
{
    public void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton(script);
        services.AddImageStrategy<ScriptedStrategy>();
    }
}
