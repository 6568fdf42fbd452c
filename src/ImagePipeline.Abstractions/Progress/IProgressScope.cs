namespace ImagePipeline.Abstractions;

/// <summary>One activity's progress. Thread-safe: parallel uploads report into one scope.</summary>
public interface IProgressScope : IDisposable
{
    /// <summary>Sets how much is done so far (absolute, not a delta).</summary>
    void Report(long completed);

    /// <summary>Adds to how much is done (for parallel workers).</summary>
    void Advance(long delta);
}
