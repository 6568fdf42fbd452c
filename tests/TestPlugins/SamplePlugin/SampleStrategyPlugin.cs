using ImagePipeline.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace SamplePlugin;

/// <summary>A plugin built separately and loaded from disk by the tests: instance-store/windows, with steps that leave marker files.</summary>
public sealed class SampleStrategyPlugin : IPipelinePlugin
{
    public void ConfigureServices(IServiceCollection services) => services.AddImageStrategy<MarkerStrategy>();
}

public sealed class MarkerStrategy : IImageStrategy
{
    public static readonly Parameter<string> MarkerFolder = new("marker-folder", "Where the sample plugin's steps leave their marker files.");

    public StrategyKey Key => new(BackingStore.InstanceStore, Platform.Windows);

    public string Description => "Sample plugin: leaves a marker file per target.";

    public IReadOnlyList<ParameterDefinition> Parameters => [MarkerFolder];

    public TargetPlan Plan(PipelineTarget target, IParameterValues parameters) => target switch
    {
        PipelineTarget.CopyCertificates => TargetPlan.NotApplicable("the sample plugin has no certificates"),
        _ => TargetPlan.Run<WriteMarkerStep>(),
    };
}

public sealed class WriteMarkerStep : IPipelineStep
{
    public ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        context.Require(MarkerStrategy.MarkerFolder, "by the sample plugin");
        return ValueTask.CompletedTask;
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var folder = context.Parameters.Get(MarkerStrategy.MarkerFolder);
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, context.Target + ".marker"), context.RunId, cancellationToken);
        context.Note = "marker written";
    }

    public Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (!context.ShouldUndo)
        {
            return Task.FromResult(CleanupOutcome.Kept);
        }

        File.Delete(Path.Combine(context.Parameters.Get(MarkerStrategy.MarkerFolder), context.Target + ".marker"));
        return Task.FromResult(CleanupOutcome.Undone);
    }
}
