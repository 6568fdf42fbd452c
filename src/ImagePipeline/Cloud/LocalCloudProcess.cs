using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using ImagePipeline.Abstractions;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Cloud;

/// <summary>
/// The local cloud as a child process: <c>dotnet localcloud/ImagePipeline.LocalCloud.dll</c> beside the host, which keeps
/// ASP.NET Core out of the host's process. Started with its standard input held open by the host: the child stops when
/// the host closes it, and also when the host dies however it dies (the pipe closes with it), so it never outlives a run.
/// </summary>
internal sealed partial class LocalCloudProcess : IAsyncDisposable
{
    private const int ErrorLinesKept = 20;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly Task _outputDrain;
    private readonly Task _errorRelay;
    private readonly Queue<string> _lastErrorLines;

    private LocalCloudProcess(Process process, Uri endpoint, Task outputDrain, Task errorRelay, Queue<string> lastErrorLines)
    {
        _process = process;
        Endpoint = endpoint;
        _outputDrain = outputDrain;
        _errorRelay = errorRelay;
        _lastErrorLines = lastErrorLines;
    }

    /// <summary>http://127.0.0.1:PORT/ — the ServiceURL for every client.</summary>
    public Uri Endpoint { get; }

    /// <summary>Starts the local cloud and waits until it listens.</summary>
    /// <param name="executable">The local cloud's assembly (<c>localcloud/</c> beside the host unless a test says otherwise).</param>
    /// <param name="stateDirectory">Where it keeps its state; several processes may share one.</param>
    /// <param name="port">The loopback port; 0 picks a free one.</param>
    /// <param name="reset">Clears the saved state first.</param>
    /// <param name="verbose">Relays the local cloud's debug log.</param>
    /// <param name="logger">Where its log lines go.</param>
    /// <param name="cancellationToken">Stops waiting (and the child).</param>
    public static async Task<LocalCloudProcess> StartAsync(
        string executable, string stateDirectory, int port, bool reset, bool verbose, ILogger logger, CancellationToken cancellationToken)
    {
        if (!File.Exists(executable))
        {
            throw PipelineException.Input($"The local cloud is not beside the host: {executable} does not exist. Reinstall the ImagePipeline package or tool (or build the host: ./build.sh does), or use --cloud aws or --endpoint-url.");
        }

        var start = new ProcessStartInfo(DotNetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { executable, "--state-dir", stateDirectory, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--exit-when-stdin-closes" })
        {
            start.ArgumentList.Add(argument);
        }

        if (reset)
        {
            start.ArgumentList.Add("--reset");
        }

        if (verbose)
        {
            start.ArgumentList.Add("--verbose");
        }

        var process = Process.Start(start) ?? throw new PipelineException($"The local cloud ({executable}) could not be started.");
        var lastErrorLines = new Queue<string>();
        var errorRelay = RelayErrorsAsync(process, lastErrorLines, logger);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartTimeout);
            var endpoint = await ReadEndpointAsync(process, timeout.Token);
            if (endpoint is null)
            {
                await process.WaitForExitAsync(cancellationToken);
                await errorRelay;
                throw new PipelineException($"The local cloud stopped before it listened (exit code {process.ExitCode}): {Describe(lastErrorLines)}");
            }

            // Read on so the child never blocks on a full pipe; the lines after the ready line are for people.
            var outputDrain = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
            LogStarted(logger, endpoint, process.Id);
            return new LocalCloudProcess(process, endpoint, outputDrain, errorRelay, lastErrorLines);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await StopAsync(process);
            throw new PipelineException($"The local cloud did not listen within {StartTimeout.TotalSeconds:0} seconds: {Describe(lastErrorLines)}");
        }
        catch
        {
            await StopAsync(process);
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(_process);
        await Task.WhenAll(_outputDrain, _errorRelay).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _process.Dispose();
    }

    /// <summary>Completes when the child ends: when stopped, or on its own (a crash).</summary>
    public Task Exited => _process.WaitForExitAsync();

    /// <summary>The last lines the local cloud wrote to standard error, for a message when it failed.</summary>
    public string LastErrors => Describe(_lastErrorLines);

    private static async Task<Uri?> ReadEndpointAsync(Process process, CancellationToken cancellationToken)
    {
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }

            using var ready = JsonDocument.Parse(line);
            if (ready.RootElement.TryGetProperty("endpoint", out var endpoint) && Uri.TryCreate(endpoint.GetString(), UriKind.Absolute, out var uri))
            {
                return uri;
            }
        }

        return null;
    }

    private static async Task RelayErrorsAsync(Process process, Queue<string> lastLines, ILogger logger)
    {
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            lock (lastLines)
            {
                lastLines.Enqueue(line);
                if (lastLines.Count > ErrorLinesKept)
                {
                    lastLines.Dequeue();
                }
            }

            // The child's console logger writes "warn: ..." / "fail: ..." lines; what it says matters as much as in-process.
            var level = line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal) || line.StartsWith("error:", StringComparison.Ordinal)
                ? LogLevel.Error
                : line.StartsWith("warn:", StringComparison.Ordinal) ? LogLevel.Warning : LogLevel.Debug;
            LogLine(logger, level, line);
        }
    }

    private static async Task StopAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        try
        {
            // Closing its standard input is the agreed stop signal: the child saves and exits.
            process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(StopTimeout);
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static string Describe(Queue<string> lines)
    {
        lock (lines)
        {
            return lines.Count == 0 ? "it wrote nothing to standard error." : string.Join(" | ", lines);
        }
    }

    /// <summary>The dotnet muxer that runs this process, or the one of this runtime, or dotnet on PATH.</summary>
    private static string DotNetHost()
    {
        var executable = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } current && Path.GetFileName(current).Equals(executable, StringComparison.OrdinalIgnoreCase))
        {
            return current;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        // RuntimeEnvironment's folder is DOTNET_ROOT/shared/Microsoft.NETCore.App/VERSION/.
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var besideRuntime = Path.Combine(root, executable);
        return File.Exists(besideRuntime) ? besideRuntime : executable;
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Debug, Message = "Local cloud listening on {Endpoint} (process {ProcessId})")]
    private static partial void LogStarted(ILogger logger, Uri endpoint, int processId);

    [LoggerMessage(EventId = 1201, Message = "local cloud: {Line}")]
    private static partial void LogLine(ILogger logger, LogLevel level, string line);
}
