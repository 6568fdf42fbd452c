using System.Collections.Concurrent;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Testing;

/// <summary>Keeps every progress report, so tests can check that long work reported progress.</summary>
public sealed class RecordingProgressReporter : IProgressReporter
{
    public ConcurrentQueue<(string Activity, long? Total, long Completed)> Reports { get; } = new();

    public ConcurrentQueue<string> Activities { get; } = new();

    public IProgressScope Start(string activity, long? total, ProgressUnit unit = ProgressUnit.Bytes)
    {
        Activities.Enqueue(activity);
        return new Scope(this, activity, total);
    }

    private sealed class Scope(RecordingProgressReporter owner, string activity, long? total) : IProgressScope
    {
        private long _completed;

        public void Report(long completed)
        {
            Interlocked.Exchange(ref _completed, completed);
            owner.Reports.Enqueue((activity, total, completed));
        }

        public void Advance(long delta) => owner.Reports.Enqueue((activity, total, Interlocked.Add(ref _completed, delta)));

        public void Dispose()
        {
        }
    }
}
