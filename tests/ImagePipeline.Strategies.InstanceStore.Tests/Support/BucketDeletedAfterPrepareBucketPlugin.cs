using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Parameters;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>The real strategies, with the bucket deleted right after PrepareBucket made it: every part upload then meets NoSuchBucket.</summary>
public sealed class BucketDeletedAfterPrepareBucketPlugin() : AppendedStepPlugin(PipelineTarget.PrepareBucket, typeof(DeleteBucketStep));

/// <summary>Deletes the run's (still empty) bucket.</summary>
public sealed class DeleteBucketStep(ICloudClients clients) : IPipelineStep
{
    public Task RunAsync(StepContext context, CancellationToken cancellationToken) =>
        clients.S3().DeleteBucketAsync(context.Parameters.Get(InstanceStoreParameters.Bucket), cancellationToken);

    public Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken) => Task.FromResult(CleanupOutcome.NothingToUndo);
}
