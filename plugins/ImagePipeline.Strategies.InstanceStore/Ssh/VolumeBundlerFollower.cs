using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Uploads;

namespace ImagePipeline.Strategies.InstanceStore.Ssh;

/// <summary>
/// Follows the volume bundler's report while it runs: progress into the host's progress lines, warnings into the log,
/// each part to the upload queue, and the result or the error kept for when the program ends. Standard error is kept
/// quiet unless the program ends without saying why (then it is the only explanation there is).
/// </summary>
public sealed class VolumeBundlerFollower(StepContext context, string host, string destination, string name, PartUploadQueue? uploads) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<string> _errorLines = [];
    private IProgressScope? _scope;
    private string? _phase;
    private UnsignedBundle? _bundle;
    private (int ExitCode, string Message)? _error;

    public void OnOutput(string line)
    {
        if (VolumeBundlerEvents.Parse(line) is not { } reported)
        {
            context.Logger.VolumeBundlerOutput(host, line);
            return;
        }

        var (kind, body) = reported;
        switch (kind)
        {
            case "progress":
                var (phase, bytes, total) = VolumeBundlerEvents.Progress(body);
                lock (_lock)
                {
                    if (phase != _phase)
                    {
                        _scope?.Dispose();
                        _phase = phase;
                        _scope = context.Progress.Start(phase == "copy" ? $"Copying the volume into the image on {host}" : $"Bundling the image on {host}", total);
                    }

                    _scope!.Report(bytes);
                }

                break;
            case "warning":
                context.Logger.VolumeBundlerWarning(host, VolumeBundlerEvents.Message(body));
                break;
            case "part":
                uploads?.Add(VolumeBundlerReport.Part(body, destination, name));
                break;
            case "result":
                _bundle = VolumeBundlerReport.Result(body, destination, name);
                uploads?.BundlingEnded();
                break;
            case "error":
                _error = (VolumeBundlerEvents.ExitCode(body), VolumeBundlerEvents.Message(body));
                break;
        }
    }

    public void OnError(string line)
    {
        lock (_lock)
        {
            _errorLines.Add(line);
        }
    }

    /// <summary>The bundle, or the program's own one-line reason as the error (exit 2: an input error, exit 2 of the run).</summary>
    public UnsignedBundle Outcome(int? exitStatus)
    {
        if (exitStatus == 0 && _bundle is not null)
        {
            return _bundle;
        }

        if (_error is { } error)
        {
            throw error.ExitCode == 2
                ? PipelineException.Input(error.Message)
                : new PipelineException($"The volume bundler on {host} failed: {error.Message}");
        }

        foreach (var line in _errorLines)
        {
            context.Logger.VolumeBundlerOutput(host, line);
        }

        throw new PipelineException($"The volume bundler on {host} ended ({(exitStatus is { } status ? $"exit status {status}" : "killed by a signal")}) without a result; its output is in the log above.");
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _scope?.Dispose();
            _scope = null;
        }
    }
}
