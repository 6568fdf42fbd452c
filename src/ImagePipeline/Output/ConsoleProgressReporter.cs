using System.Globalization;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Output;

/// <summary>
/// Prints progress of long work as plain lines (they read well in CI logs, where a redrawn bar does not): at most one
/// line every few seconds per activity, with amount, rate and ETA, and a last line when it ends.
/// </summary>
internal sealed class ConsoleProgressReporter(HostConsole console, TimeProvider timeProvider) : IProgressReporter
{
    private HostConsole Console { get; } = console;

    private TimeProvider Time { get; } = timeProvider;

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(3);

    public IProgressScope Start(string activity, long? total, ProgressUnit unit = ProgressUnit.Bytes) =>
        new Scope(this, activity, total, unit, Time.GetTimestamp());

    private sealed class Scope(ConsoleProgressReporter owner, string activity, long? total, ProgressUnit unit, long startedAt) : IProgressScope
    {
        private readonly Lock _gate = new();
        private long _completed;
        private long _lastPrintedAt;
        private long _lastPrintedCompleted = -1;
        private bool _disposed;

        public void Report(long completed)
        {
            Interlocked.Exchange(ref _completed, completed);
            MaybePrint(force: false);
        }

        public void Advance(long delta)
        {
            Interlocked.Add(ref _completed, delta);
            MaybePrint(force: false);
        }

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                MaybePrint(force: true);
            }
        }

        private void MaybePrint(bool force)
        {
            var time = owner.Time;
            var completed = Interlocked.Read(ref _completed);
            lock (_gate)
            {
                // The closing line repeats nothing: when the last line already said where the work ended, it is skipped.
                if ((!force && time.GetElapsedTime(_lastPrintedAt == 0 ? startedAt : _lastPrintedAt) < owner.Interval)
                    || (force && completed == _lastPrintedCompleted))
                {
                    return;
                }

                _lastPrintedAt = time.GetTimestamp();
                _lastPrintedCompleted = completed;
            }

            var elapsed = time.GetElapsedTime(startedAt);
            owner.Console.WriteLine($"  {activity}: {Describe(completed, elapsed)}");
        }

        private string Describe(long completed, TimeSpan elapsed)
        {
            var percent = total is > 0 ? $" ({100.0 * completed / total.Value:0}%)" : string.Empty;
            return unit switch
            {
                ProgressUnit.Bytes => $"{Mebibytes(completed)}{(total is { } t ? " / " + Mebibytes(t) : string.Empty)}{percent}, {Rate(completed, elapsed)}{Eta(completed, elapsed)}",
                ProgressUnit.Percent => $"{completed}%{Eta(completed, elapsed)}",
                _ => $"{completed}{(total is { } count ? $" / {count}" : string.Empty)}{percent}{Eta(completed, elapsed)}",
            };
        }

        private static string Mebibytes(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

        private static string Rate(long bytes, TimeSpan elapsed) =>
            elapsed.TotalSeconds > 0 ? (bytes / 1048576.0 / elapsed.TotalSeconds).ToString("0.0", CultureInfo.InvariantCulture) + " MiB/s" : "-";

        private string Eta(long completed, TimeSpan elapsed)
        {
            var goal = unit == ProgressUnit.Percent ? 100 : total;
            if (goal is not > 0 || completed <= 0 || completed >= goal)
            {
                return string.Empty;
            }

            var remaining = TimeSpan.FromSeconds(elapsed.TotalSeconds * (goal.Value - completed) / completed);
            return $", ETA {remaining:hh\\:mm\\:ss}";
        }
    }
}
