using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using ImagePipeline.Strategies.InstanceStore.Strategies;
using Microsoft.Extensions.DependencyInjection;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>The real strategies, with the bucket deleted right after PrepareBucket made it: every part upload then meets NoSuchBucket.</summary>
public sealed class BucketDeletedAfterPrepareBucketPlugin : IPipelinePlugin
{
    public void ConfigureServices(IServiceCollection services) => services.AddSingleton<IImageStrategy>(new Strategy(new InstanceStoreLinuxStrategy()));

    private sealed class Strategy(IImageStrategy inner) : IImageStrategy
    {
        public StrategyKey Key => inner.Key;

        public string Description => inner.Description;

        public IReadOnlyList<ParameterDefinition> Parameters => inner.Parameters;

        public TargetPlan Plan(PipelineTarget target, IParameterValues parameters)
        {
            var plan = inner.Plan(target, parameters);
            return target == PipelineTarget.PrepareBucket ? TargetPlan.Run([.. plan.Steps, typeof(DeleteBucketStep)]) : plan;
        }

        public ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken) => inner.ValidateAsync(context, cancellationToken);
    }
}

/// <summary>Deletes the run's (still empty) bucket.</summary>
public sealed class DeleteBucketStep(ICloudClients clients) : IPipelineStep
{
    public Task RunAsync(StepContext context, CancellationToken cancellationToken) =>
        clients.S3().DeleteBucketAsync(context.Parameters.Get(InstanceStoreParameters.Bucket), cancellationToken);

    public Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken) => Task.FromResult(CleanupOutcome.NothingToUndo);
}
