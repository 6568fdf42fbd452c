using Amazon.Runtime;
using ImagePipeline.Abstractions;
using ImagePipeline.Aws;
using ImagePipeline.Bundling;
using ImagePipeline.Core.Engine;
using ImagePipeline.Core.Parameters;
using ImagePipeline.Core.Runs;
using ImagePipeline.Core.Sessions;
using ImagePipeline.Instances;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Testing;

/// <summary>
/// Runs targets through the real session, engine, bundler and SDK clients against a real endpoint (the local cloud, or
/// any S3/EC2 server on 127.0.0.1), the way the console host does, but in-process so tests can look inside.
/// </summary>
public sealed class PipelineHarness : IAsyncDisposable
{
    private readonly List<PipelineSession> _sessions = [];

    public PipelineHarness(Uri endpoint, IEnumerable<IPipelinePlugin> plugins, string accessKeyId, string secretAccessKey, string? root = null)
    {
        Endpoint = endpoint;
        Plugins = plugins.ToArray();
        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
        Root = root ?? Directory.CreateTempSubdirectory("imagepipeline-harness-").FullName;
    }

    public Uri Endpoint { get; }

    public IReadOnlyList<IPipelinePlugin> Plugins { get; }

    public string AccessKeyId { get; }

    public string SecretAccessKey { get; }

    /// <summary>The repository root of the simulated project; runs are saved under Root/.nuke/temp/runs.</summary>
    public string Root { get; }

    public string RunsDirectory => Path.Combine(Root, ".nuke", "temp", "runs");

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public RecordingLoggerProvider Logs { get; } = new();

    public RecordingProgressReporter Progress { get; } = new();

    public RecordingRunObserver Observer { get; } = new();

    /// <summary>Registrations applied after the defaults and before the plugins (to replace a service in a test).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>
    /// Runs <paramref name="target"/> with parameters given as on the command line (name without dashes → value).
    /// Validation errors throw <see cref="ValidationFailedException"/>; parameter errors throw <see cref="PipelineException"/>.
    /// </summary>
    public async Task<RunResult> RunAsync(string target, IReadOnlyDictionary<string, string> parameters, string? resume = null, CancellationToken cancellationToken = default)
    {
        var session = CreateSession();
        var args = parameters.SelectMany(pair => new[] { "--" + pair.Key, pair.Value }).ToList();
        var inputs = new ParameterInputs(CommandLine.Parse(args), new Dictionary<string, string>(), null, null);
        var resolved = session.ResolveParameters(inputs);
        ThrowOnErrors(resolved);

        RunRecord? record = null;
        if (resume is not null)
        {
            record = session.FindRunToResume(resume, resolved.DescribeSetValues(), target);
            resolved = session.ResolveParameters(inputs, record.Parameters);
            ThrowOnErrors(resolved);
        }

        var plan = session.Plan(target, resolved);
        return await session.ExecuteAsync(plan, resolved, record, cancellationToken);
    }

    /// <summary>The saved record of a run.</summary>
    public RunRecord? LoadRun(string runId) => new RunStore(RunsDirectory, TimeProvider).Load(runId);

    public PipelineSession CreateSession()
    {
        var session = PipelineSession.Create(Plugins, HostParameters.All.Concat(AwsParameters.All), services =>
        {
            services.AddSingleton(TimeProvider);
            services.AddLogging(logging => logging.ClearProviders().AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
            services.AddSingleton<IProgressReporter>(Progress);
            services.AddSingleton<IRunObserver>(Observer);
            services.AddSingleton(provider => new RunStore(RunsDirectory, provider.GetRequiredService<TimeProvider>()));
            services.AddImageBundler();
            services.AddSingleton(provider =>
            {
                var values = provider.GetRequiredService<IParameterValues>();
                return new AwsCloudSettings
                {
                    Region = values.GetOrDefault(CommonParameters.Region) ?? "us-east-1",
                    Credentials = new BasicAWSCredentials(AccessKeyId, SecretAccessKey),
                    ServiceUrl = Endpoint,
                    MaxAttempts = values.Get(AwsParameters.MaxAttempts),
                };
            });
            services.AddAwsCloud();
            services.AddRemoteShell();
            ConfigureServices?.Invoke(services);
        });
        _sessions.Add(session);
        return session;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions)
        {
            await session.DisposeAsync();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A test's temp folder that cannot be removed is not worth failing the test over.
        }
    }

    private static void ThrowOnErrors(ResolvedParameters resolved)
    {
        if (resolved.Errors.Count > 0)
        {
            throw PipelineException.Input(string.Join(Environment.NewLine, resolved.Errors));
        }
    }
}
