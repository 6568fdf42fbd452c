using System.Diagnostics;
using System.Text.Json;

namespace ImagePipeline.VolumeBundler.Tests;

/// <summary>Runs the built volume bundler as the host will: a separate process, JSON lines on stdout, one line on stderr on error.</summary>
internal sealed class AgentProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<JsonElement> _events = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task<string> _error;
    private readonly Task _output;

    private AgentProcess(IReadOnlyList<string> arguments, IReadOnlyList<string> wrapper)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "imagepipeline-volume-bundler.dll");
        var command = wrapper.Concat(["dotnet", dll]).Concat(arguments).ToList();
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _error = _process.StandardError.ReadToEndAsync();
        _output = Task.Run(async () =>
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                var element = JsonDocument.Parse(line).RootElement.Clone();
                lock (_events)
                {
                    _events.Add(element);
                }

                if (element.GetProperty("event").GetString() == "started")
                {
                    _started.TrySetResult();
                }
            }

            _started.TrySetResult();
        });
    }

    public int Id => _process.Id;

    public IReadOnlyList<JsonElement> Events
    {
        get
        {
            lock (_events)
            {
                return _events.ToList();
            }
        }
    }

    public static AgentProcess Start(IReadOnlyList<string> arguments, IReadOnlyList<string>? wrapper = null) => new(arguments, wrapper ?? []);

    public static async Task<AgentResult> RunAsync(IReadOnlyList<string> arguments, IReadOnlyList<string>? wrapper = null)
    {
        using var agent = Start(arguments, wrapper);
        return await agent.WaitAsync();
    }

    public Task WaitForStartedAsync() => _started.Task.WaitAsync(TimeSpan.FromMinutes(2));

    public async Task<AgentResult> WaitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        await _output;
        return new AgentResult(_process.ExitCode, Events, await _error);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}

internal sealed record AgentResult(int ExitCode, IReadOnlyList<JsonElement> Events, string StandardError)
{
    public IEnumerable<JsonElement> OfKind(string kind) => Events.Where(element => element.GetProperty("event").GetString() == kind);

    public JsonElement Result => OfKind("result").Single();
}
