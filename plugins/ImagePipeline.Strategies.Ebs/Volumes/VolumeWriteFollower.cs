using ImagePipeline.Abstractions;

namespace ImagePipeline.Strategies.Ebs.Volumes;

/// <summary>
/// Follows the volume bundler while it writes the root file system onto the attached volume: its copy progress into
/// the host's progress line, its warnings into the log, its <c>written</c> event or its one-line reason kept for when
/// it ends. Standard error is shown only when the program ends without saying why.
/// </summary>
public sealed class VolumeWriteFollower(StepContext context, string host, string volumeId) : IDisposable
{
    private readonly Lock _lock = new();
    private IProgressScope? _scope;
    private bool _written;
    private (int ExitCode, string Message)? _error;

    public void OnOutput(string line)
    {
        if (VolumeBundlerEvents.Parse(line) is not { } reported)
        {
            context.Logger.VolumeBundlerWarning(host, line);
            return;
        }

        var (kind, body) = reported;
        switch (kind)
        {
            case "progress":
                var (_, bytes, total) = VolumeBundlerEvents.Progress(body);
                lock (_lock)
                {
                    _scope ??= context.Progress.Start($"Copying the root file system on {host} onto {volumeId}", total);
                    _scope.Report(bytes);
                }

                break;
            case "warning":
                context.Logger.VolumeBundlerWarning(host, VolumeBundlerEvents.Message(body));
                break;
            case "written":
                _written = true;
                break;
            case "error":
                _error = (VolumeBundlerEvents.ExitCode(body), VolumeBundlerEvents.Message(body));
                break;
        }
    }

    /// <summary>Returns when the volume is written; otherwise throws the program's own reason (exit 2: an input error).</summary>
    public void EnsureWritten(VolumeBundlerExit exit)
    {
        if (exit.ExitStatus == 0 && _written)
        {
            return;
        }

        if (_error is { } error)
        {
            throw error.ExitCode == 2
                ? PipelineException.Input(error.Message)
                : new PipelineException($"The volume bundler on {host} failed to write volume {volumeId}: {error.Message}");
        }

        foreach (var line in exit.ErrorLines)
        {
            context.Logger.VolumeBundlerWarning(host, line);
        }

        throw new PipelineException($"The volume bundler on {host} ended ({(exit.ExitStatus is { } status ? $"exit status {status}" : "killed by a signal")}) without writing volume {volumeId}; its output is in the log above.");
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
