using ImagePipeline.Abstractions;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>A test-only step that fails, appended to a target to see what the cleanups leave behind.</summary>
public sealed class InjectedFailureStep : IPipelineStep
{
    public const string Message = "Injected failure for the test.";

    public Task RunAsync(StepContext context, CancellationToken cancellationToken) => throw new PipelineException(Message);

    public Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken) => Task.FromResult(CleanupOutcome.NothingToUndo);
}
