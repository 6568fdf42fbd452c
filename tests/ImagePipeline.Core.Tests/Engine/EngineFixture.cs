using ImagePipeline.Abstractions;
using ImagePipeline.Core.Engine;
using ImagePipeline.Core.Parameters;
using ImagePipeline.Core.Planning;
using ImagePipeline.Core.Runs;
using ImagePipeline.Core.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagePipeline.Core.Tests.Engine;

/// <summary>Runs the scripted strategy through a real session, engine and run store in a temp folder.</summary>
public sealed class EngineFixture : IAsyncDisposable
{
    private readonly List<PipelineSession> _sessions = [];

    public Script Script { get; } = new();

    /// <summary>The category of every logger the engine and the steps asked for.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> LoggerCategories { get; } = new();

    public string RunsDirectory { get; } = Directory.CreateTempSubdirectory("imagepipeline-engine-").FullName;

    public async Task<RunResult> RunAsync(string target, string[] args, string? resume = null, CancellationToken cancellationToken = default)
    {
        var session = PipelineSession.Create([new ScriptedPlugin(Script)], HostParameters.All, services =>
        {
            services.AddSingleton<ILoggerFactory>(new CategoryRecordingLoggerFactory(LoggerCategories));
            services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
            services.AddSingleton<IProgressReporter, SilentProgress>();
            services.AddSingleton<IRunObserver, SilentObserver>();
            services.AddSingleton(new RunStore(RunsDirectory, TimeProvider.System));
        });
        _sessions.Add(session);
        var inputs = new ParameterInputs(CommandLine.Parse(["--backing-store", "ebs", .. args]), new Dictionary<string, string>(), null, null);
        var resolved = session.ResolveParameters(inputs);
        resolved.Errors.Should().BeEmpty();
        RunRecord? record = null;
        if (resume is not null)
        {
            record = session.FindRunToResume(resume, resolved.DescribeSetValues(), target);
            resolved = session.ResolveParameters(inputs, record.Parameters);
        }

        return await session.ExecuteAsync(session.Plan(target, resolved), resolved, record, cancellationToken);
    }

    public RunRecord Load(string runId) => new RunStore(RunsDirectory, TimeProvider.System).Load(runId)!;

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions)
        {
            await session.DisposeAsync();
        }

        Directory.Delete(RunsDirectory, recursive: true);
    }

    private sealed class SilentProgress : IProgressReporter
    {
        public IProgressScope Start(string activity, long? total, ProgressUnit unit = ProgressUnit.Bytes) => new Scope();

        private sealed class Scope : IProgressScope
        {
            public void Report(long completed)
            {
            }

            public void Advance(long delta)
            {
            }

            public void Dispose()
            {
            }
        }
    }

    private sealed class SilentObserver : IRunObserver
    {
        public void TargetStarting(PlannedTarget target)
        {
        }

        public void TargetFinished(TargetResult result)
        {
        }

        public void StepFailed(string stepId, Exception error)
        {
        }

        public void CleanupStarting(int steps)
        {
        }

        public void CleanupFailed(string stepId, Exception error)
        {
        }
    }

    private sealed class CategoryRecordingLoggerFactory(System.Collections.Concurrent.ConcurrentQueue<string> categories) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName)
        {
            categories.Enqueue(categoryName);
            return NullLogger.Instance;
        }

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }
}
