using ImagePipeline.Abstractions;
using ImagePipeline.Core.Engine;
using ImagePipeline.Core.Parameters;
using ImagePipeline.Core.Planning;
using ImagePipeline.Core.Plugins;
using ImagePipeline.Core.Runs;
using ImagePipeline.Instances;
using ImagePipeline.Instances.Launching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Core.Sessions;

/// <summary>
/// One invocation of the pipeline: the plugins' services and the host's in one container, the parameter catalog they
/// declare, and the steps from resolving parameters to running (or resuming) a plan. The console host and the test
/// harness both drive runs through it.
/// </summary>
public sealed class PipelineSession : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly ParameterValuesHolder _holder;

    /// <summary>The lock on the run this session runs or resumes, held until the session ends.</summary>
    private RunLock? _runLock;

    private PipelineSession(ServiceProvider services, ParameterCatalog catalog, StrategyCatalog strategies, ParameterValuesHolder holder)
    {
        _services = services;
        Catalog = catalog;
        Strategies = strategies;
        _holder = holder;
    }

    public IServiceProvider Services => _services;

    public ParameterCatalog Catalog { get; }

    public StrategyCatalog Strategies { get; }

    /// <summary>
    /// Builds the container: the host's registrations (which must provide <see cref="RunStore"/>, <see cref="IProgressReporter"/>,
    /// <see cref="IRunObserver"/> and logging), then each plugin's. The catalog holds the host's parameters and every strategy's.
    /// </summary>
    /// <param name="plugins">The plugins' entry points.</param>
    /// <param name="hostParameters">The host's own parameters.</param>
    /// <param name="configureHost">The host's registrations.</param>
    /// <param name="builtInAssemblies">Paths of the plugin assemblies shipped with the host; strategies from other plugins replace theirs.</param>
    public static PipelineSession Create(
        IEnumerable<IPipelinePlugin> plugins,
        IEnumerable<ParameterDefinition> hostParameters,
        Action<IServiceCollection> configureHost,
        IReadOnlySet<string>? builtInAssemblies = null)
    {
        var holder = new ParameterValuesHolder();
        var services = new ServiceCollection();
        services.AddSingleton(holder);
        services.AddSingleton(provider => provider.GetRequiredService<ParameterValuesHolder>().Values);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ResourceWaiter>();
        services.TryAddSingleton(_ => new SourceRevision());
        services.TryAddSingleton<ImageNameTemplate>();
        services.AddLaunching();
        configureHost(services);
        foreach (var plugin in plugins)
        {
            plugin.ConfigureServices(services);
        }

        services.TryAddSingleton<StepEngine>();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        try
        {
            var strategies = new StrategyCatalog(
                provider.GetServices<IImageStrategy>(),
                strategy => builtInAssemblies?.Contains(strategy.GetType().Assembly.Location) == true);
            var catalog = new ParameterCatalog(hostParameters.Concat(PipelineTargets.HostPlannedParameters).Concat(strategies.All.SelectMany(strategy => strategy.Parameters)));
            return new PipelineSession(provider, catalog, strategies, holder);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    /// <summary>Resolves the parameters; the caller reports <see cref="ResolvedParameters.Errors"/> before going on.</summary>
    public ResolvedParameters ResolveParameters(ParameterInputs inputs, IReadOnlyDictionary<string, string>? fallbackValues = null, ParameterSource fallbackSource = ParameterSource.ResumedRun)
    {
        var resolved = ParameterResolver.Resolve(Catalog, inputs, fallbackValues, fallbackSource);
        _holder.Set(resolved);
        return resolved;
    }

    /// <summary>The plan for a target: the chosen strategy and the target with every target before it.</summary>
    public ExecutionPlan Plan(string target, IParameterValues parameters) => Plan(PipelineTargets.Parse(target), parameters);

    /// <inheritdoc cref="Plan(string, IParameterValues)"/>
    public ExecutionPlan Plan(PipelineTarget target, IParameterValues parameters)
    {
        var strategy = Strategies.Get(new StrategyKey(parameters.Get(CommonParameters.BackingStore), parameters.Get(CommonParameters.Platform))
        {
            Variant = parameters.GetOrDefault(HostParameters.Strategy),
        });
        return ExecutionPlan.Create(strategy, PipelineTargets.UpTo(target), parameters);
    }

    /// <summary>Every check of the plan's strategy and steps, as a run makes before it starts (read-only cloud calls); nothing is created.</summary>
    public async Task<IReadOnlyList<string>> ValidateAsync(ExecutionPlan plan, ResolvedParameters parameters, CancellationToken cancellationToken)
    {
        var engine = _services.GetRequiredService<StepEngine>();
        plan = await ForInstanceRootAsync(plan, parameters, null, cancellationToken);
        return await engine.ValidateAsync(plan, engine.CreateSteps(plan), parameters, cancellationToken, null, null);
    }

    /// <summary>
    /// The plan for the captured instance's root device, read from the cloud when the steps depend on it (an EBS image
    /// of an instance-store-backed instance is made another way); unchanged when they do not.
    /// </summary>
    public async Task<ExecutionPlan> ForInstanceRootAsync(ExecutionPlan plan, IParameterValues parameters, RunState? resumedState, CancellationToken cancellationToken)
    {
        if (!plan.DependsOnRoot)
        {
            return plan;
        }

        var root = await _services.GetRequiredService<InstanceRootLookup>().FindAsync(parameters, resumedState, cancellationToken);
        return plan.For(root ?? InstanceRoot.Ebs);
    }

    /// <summary>
    /// Validates the plan as a whole (every error at once, as a <see cref="PipelineException"/> of kind Input), then runs it,
    /// or resumes <paramref name="resumed"/> after its last completed step.
    /// </summary>
    /// <remarks>The run's lock is held until the run ends (taken here for a new run, by <see cref="FindRunToResume"/> for a resumed one).</remarks>
    public async Task<RunResult> ExecuteAsync(
        ExecutionPlan plan,
        ResolvedParameters parameters,
        RunRecord? resumed,
        CancellationToken cancellationToken)
    {
        try
        {
            return await ExecuteHoldingLockAsync(plan, parameters, resumed, cancellationToken);
        }
        finally
        {
            _runLock?.Dispose();
            _runLock = null;
        }
    }

    private async Task<RunResult> ExecuteHoldingLockAsync(ExecutionPlan plan, ResolvedParameters parameters, RunRecord? resumed, CancellationToken cancellationToken)
    {
        var engine = _services.GetRequiredService<StepEngine>();
        var store = _services.GetRequiredService<RunStore>();
        var logger = _services.GetRequiredService<ILogger<PipelineSession>>();
        if (resumed is not null && _runLock?.RunId != resumed.RunId)
        {
            throw new InvalidOperationException($"Run {resumed.RunId} is resumed without its lock; find it with {nameof(FindRunToResume)}.");
        }

        foreach (var folder in await store.SweepStaleSecretsAsync(resumed, cancellationToken))
        {
            logger.LogInformation("Removed staged secrets that a stopped run left behind: {Folder}", folder);
        }

        var resumedState = resumed is null ? null : RunState.FromJson(resumed.State);
        plan = await ForInstanceRootAsync(plan, parameters, resumedState, cancellationToken);
        var steps = engine.CreateSteps(plan);
        var errors = await engine.ValidateAsync(plan, steps, parameters, cancellationToken, resumedState, resumed is null ? null : store.WorkDirectoryOf(resumed.RunId));
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var record = resumed ?? new RunRecord
        {
            RunId = store.NewRunId(),
            CreatedAt = _services.GetRequiredService<TimeProvider>().GetUtcNow(),
            Strategy = plan.Key.ToString(),
            Target = plan.Targets[^1].Target.ToString(),
            Parameters = parameters.DescribeSetValues().ToDictionary(StringComparer.Ordinal),
        };
        record.Target = plan.Targets[^1].Target.ToString();
        _runLock ??= store.TryLock(record.RunId) ?? throw new InvalidOperationException($"The new run id {record.RunId} is already locked.");
        logger.LogInformation(
            resumed is null ? "Run {RunId} started" : "Run {RunId} resumed", record.RunId);
        return await engine.RunAsync(plan, steps, parameters, record, parameters.Get(CommonParameters.KeepOnFailure), cancellationToken);
    }

    /// <summary>
    /// Finds the run to resume and checks it was started with the same parameters; the differences are named in the error.
    /// Parameters the user leaves out this time are taken from the saved run.
    /// </summary>
    /// <remarks>A run that succeeded can be resumed towards a later target (run PrepareBucket, then resume it up to RegisterImage), not again to the same one.</remarks>
    public RunRecord FindRunToResume(string which, IReadOnlyDictionary<string, string> givenNow, string target)
    {
        var store = _services.GetRequiredService<RunStore>();
        var record = (which is "" or "latest" ? store.Latest() : store.Load(which))
            ?? throw PipelineException.Input(which is "" or "latest"
                ? $"--resume: there is no saved run in {store.Directory} to resume; start one without --resume."
                : $"--resume {which}: no such run in {store.Directory}; see the run ids there, or use --resume latest.");

        // Held from here to the end of the session: a second process resuming the same run is refused, and nothing of
        // the live run is touched.
        _runLock?.Dispose();
        _runLock = store.TryLock(record.RunId) ?? throw PipelineException.Input(
            $"--resume: run {record.RunId} is still running{(record.ProcessId is { } pid ? $" (process {pid})" : string.Empty)}; wait for it to end, or stop it, then resume it. Nothing was changed.");
        record = store.Load(record.RunId) ?? throw PipelineException.Input($"--resume {record.RunId}: the run was removed from {store.Directory} meanwhile.");

        var requested = PipelineTargets.Parse(target);
        if (record.Outcome == RunOutcome.Succeeded && PipelineTargets.Parse(record.Target).Reaches(requested))
        {
            throw PipelineException.Input($"--resume: run {record.RunId} already succeeded up to {record.Target}; start a new run without --resume, or resume it towards a later target.");
        }

        var changed = givenNow
            .Where(pair => !record.Parameters.TryGetValue(pair.Key, out var saved) || saved != pair.Value)
            .Select(pair => record.Parameters.TryGetValue(pair.Key, out var saved) ? $"--{pair.Key} was '{saved}', now '{pair.Value}'" : $"--{pair.Key} was not set, now '{pair.Value}'")
            .ToArray();
        if (changed.Length > 0)
        {
            throw PipelineException.Input(
                $"--resume: run {record.RunId} was started with other parameters ({string.Join("; ", changed)}); resume with the same parameters, or start a new run without --resume.");
        }

        return record;
    }

    public ValueTask DisposeAsync()
    {
        _runLock?.Dispose();
        return _services.DisposeAsync();
    }
}
