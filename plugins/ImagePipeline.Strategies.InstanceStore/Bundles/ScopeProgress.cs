using ImagePipeline.Abstractions;

namespace ImagePipeline.Strategies.InstanceStore.Bundles;

/// <summary>
/// Forwards absolute progress to a scope synchronously; <see cref="Progress{T}"/> would post each report to the thread
/// pool and could deliver them out of order.
/// </summary>
public sealed class ScopeProgress(IProgressScope scope) : IProgress<long>
{
    public void Report(long value) => scope.Report(value);
}
