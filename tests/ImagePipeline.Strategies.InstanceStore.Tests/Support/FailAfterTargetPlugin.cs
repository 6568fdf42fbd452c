using ImagePipeline.Abstractions;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>Registers the real strategies, but with <see cref="InjectedFailureStep"/> appended to one target.</summary>
public sealed class FailAfterTargetPlugin(PipelineTarget failAfter) : AppendedStepPlugin(failAfter, typeof(InjectedFailureStep));
