using System.Text;
using System.Text.Json;

namespace ImagePipeline.VolumeBundler.Reporting;

/// <summary>
/// Writes events as JSON lines, each flushed at once, from any thread (parts are announced by the bundling threads).
/// Progress is reported at most once per percent of its phase, so the report stays small.
/// </summary>
internal sealed class EventReport
{
    private readonly Stream _output;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _lastPercent = new(StringComparer.Ordinal);

    public EventReport(Stream output)
    {
        _output = output;
    }

    public void Write(VolumeBundlerEvent reportEvent)
    {
        var line = JsonSerializer.Serialize(reportEvent, ReportJsonContext.Default.VolumeBundlerEvent);
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        lock (_lock)
        {
            _output.Write(bytes);
            _output.Flush();
        }
    }

    public void Warn(string message) => Write(new WarningEvent(message));

    public void Progress(string phase, long bytes, long totalBytes)
    {
        var percent = totalBytes <= 0 ? 100 : (int)Math.Min(100, bytes * 100 / totalBytes);
        lock (_lock)
        {
            if (_lastPercent.TryGetValue(phase, out var last) && last >= percent)
            {
                return;
            }

            _lastPercent[phase] = percent;
        }

        Write(new ProgressEvent(phase, bytes, totalBytes));
    }
}
