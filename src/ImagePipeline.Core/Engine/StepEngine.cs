using Amazon.Runtime;
using ImagePipeline.Abstractions;
using ImagePipeline.Core.Planning;
using ImagePipeline.Core.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Core.Engine;

/// <summary>
/// Runs a plan's steps in order, saving the run after every step; then calls the cleanup of every step that started,
/// in reverse order, whatever the outcome (a failing cleanup is reported and the others still run). Steps completed
/// by an earlier run of the same id are not run again (<c>--resume</c>), but still get their cleanup. An AWS error that
/// escapes a step becomes one sentence here (<see cref="AwsErrorTranslation"/>), and each step logs under its own type.
/// </summary>
public sealed partial class StepEngine(
    IServiceProvider services,
    RunStore store,
    IProgressReporter progress,
    IRunObserver observer,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory,
    ILogger<StepEngine> logger)
{
    /// <summary>How long cleanups may take once the run was cancelled (they get a fresh token: Ctrl+C must not stop them).</summary>
    public TimeSpan CleanupTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Creates the step objects of a plan through dependency injection, keyed by step id.</summary>
    public IReadOnlyDictionary<string, IPipelineStep> CreateSteps(ExecutionPlan plan)
    {
        var steps = new Dictionary<string, IPipelineStep>(StringComparer.Ordinal);
        foreach (var target in plan.Targets)
        {
            foreach (var stepType in target.Implementation.Steps)
            {
                steps[PlannedTarget.StepId(target.Target, stepType)] = (IPipelineStep)ActivatorUtilities.CreateInstance(services, stepType);
            }
        }

        return steps;
    }

    /// <summary>Runs every step's and the strategy's validation; returns all the errors.</summary>
    public async Task<IReadOnlyList<string>> ValidateAsync(
        ExecutionPlan plan, IReadOnlyDictionary<string, IPipelineStep> steps, IParameterValues parameters, CancellationToken cancellationToken, RunState? resumedState = null, string? resumedWorkDirectory = null)
    {
        var context = new ValidationContext(plan.Key, plan.TargetNames, parameters) { ResumedState = resumedState, ResumedWorkDirectory = resumedWorkDirectory };
        await plan.Strategy.ValidateAsync(context, cancellationToken);
        foreach (var target in plan.Targets)
        {
            foreach (var stepId in target.StepIds)
            {
                var step = steps[stepId];
                try
                {
                    await step.ValidateAsync(context, cancellationToken);
                }
                catch (AmazonServiceException exception) when (AwsErrorTranslation.IsAnswer(exception))
                {
                    throw AwsErrorTranslation.Translate(step.GetType(), exception, resumable: false);
                }
            }
        }

        return context.Errors;
    }

    public async Task<RunResult> RunAsync(
        ExecutionPlan plan,
        IReadOnlyDictionary<string, IPipelineStep> steps,
        IParameterValues parameters,
        RunRecord record,
        bool keepOnFailure,
        CancellationToken cancellationToken)
    {
        var state = RunState.FromJson(record.State);
        var outputs = new RunOutputs();
        foreach (var (name, value) in record.Outputs)
        {
            outputs.Set(name, value);
        }

        foreach (var stepId in plan.Targets.SelectMany(target => target.StepIds))
        {
            record.Steps.TryAdd(stepId, StepStatus.Pending);
        }

        var workDirectory = store.WorkDirectoryOf(record.RunId);
        async Task SaveAsync(CancellationToken token)
        {
            record.State = state.ToJson();
            record.Outputs = outputs.ToDictionary().ToDictionary(StringComparer.Ordinal);
            await store.SaveAsync(record, token);
        }

        var started = new List<(string StepId, IPipelineStep Step, StepContext Context)>();
        var results = new List<TargetResult>();
        Exception? failure = null;
        var redoRest = false;
        var outcome = RunOutcome.Running;
        record.Outcome = RunOutcome.Running;
        record.Error = null;
        record.ProcessId = Environment.ProcessId;
        await SaveAsync(CancellationToken.None);

        foreach (var target in plan.Targets)
        {
            if (failure is not null)
            {
                results.Add(new TargetResult(target.Target, target.Implementation.IsApplicable ? TargetStatus.Skipped : TargetStatus.NotApplicable, TimeSpan.Zero, target.Implementation.NotApplicableReason));
                continue;
            }

            observer.TargetStarting(target);
            if (!target.Implementation.IsApplicable)
            {
                var reason = target.Implementation.NotApplicableReason;
                LogNotApplicable(logger, target.Target, reason!);
                results.Add(new TargetResult(target.Target, TargetStatus.NotApplicable, TimeSpan.Zero, reason));
                observer.TargetFinished(results[^1]);
                continue;
            }

            var startedAt = timeProvider.GetTimestamp();
            var ranAny = false;
            string? note = null;
            foreach (var stepType in target.Implementation.Steps)
            {
                var stepId = PlannedTarget.StepId(target.Target, stepType);
                var step = steps[stepId];
                var context = new StepContext(record.RunId, target.Target, plan.Key, parameters, state, outputs, progress, loggerFactory.CreateLogger(stepType), workDirectory, SaveAsync)
                {
                    KeepOnFailure = keepOnFailure,
                    FinalTarget = plan.Targets[^1].Target,
                    SecretsDirectory = store.SecretsDirectoryOf(record.RunId, stepId),
                };
                started.Add((stepId, step, context));

                // A completed step is skipped only until a step of its target runs again: what follows that step in the
                // target worked on what it made (an instance launched with a key made again, an image registered anew),
                // so it runs again too; and in every later target once a step said so (a new instance).
                if (record.StatusOf(stepId) == StepStatus.Completed && !ranAny && !redoRest)
                {
                    LogResumed(logger, stepId);
                    continue;
                }

                ranAny = true;
                record.Steps[stepId] = StepStatus.Running;
                await SaveAsync(CancellationToken.None);
                try
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await step.RunAsync(context, cancellationToken);
                    redoRest |= context.LaterStepsRedone;
                    record.Steps[stepId] = StepStatus.Completed;
                    note = context.Note ?? note;
                    await SaveAsync(CancellationToken.None);
                }
                catch (Exception caught)
                {
                    var exception = caught is AmazonServiceException aws && AwsErrorTranslation.IsAnswer(aws) ? AwsErrorTranslation.Translate(stepType, aws, resumable: true) : caught;
                    failure = exception;
                    outcome = exception is OperationCanceledException && cancellationToken.IsCancellationRequested ? RunOutcome.Cancelled : RunOutcome.Failed;
                    record.Steps[stepId] = StepStatus.Failed;
                    observer.StepFailed(stepId, exception);
                    break;
                }
            }

            var status = failure is not null ? TargetStatus.Failed : ranAny ? TargetStatus.Succeeded : TargetStatus.Resumed;
            results.Add(new TargetResult(target.Target, status, timeProvider.GetElapsedTime(startedAt), failure is not null ? OneLine(failure) : note ?? (ranAny ? null : "completed in an earlier run")));
            observer.TargetFinished(results[^1]);
        }

        if (failure is null)
        {
            outcome = RunOutcome.Succeeded;
        }

        var cleanupFailures = await CleanupAsync(started, record, outcome, SaveAsync);
        record.Outcome = outcome;
        record.Error = failure is null ? null : OneLine(failure);
        await SaveAsync(CancellationToken.None);
        return new RunResult(record.RunId, outcome, results, outputs.ToDictionary(), failure, cleanupFailures);
    }

    private async Task<IReadOnlyList<CleanupFailure>> CleanupAsync(
        List<(string StepId, IPipelineStep Step, StepContext Context)> started,
        RunRecord record,
        RunOutcome outcome,
        Func<CancellationToken, Task> save)
    {
        var failures = new List<CleanupFailure>();
        observer.CleanupStarting(started.Count);
        using var timeout = new CancellationTokenSource(CleanupTimeout, timeProvider);
        for (var i = started.Count - 1; i >= 0; i--)
        {
            var (stepId, step, context) = started[i];
            context.EnterCleanup(outcome, record.StatusOf(stepId) == StepStatus.Completed);
            try
            {
                var result = await step.CleanupAsync(context, timeout.Token);
                if (result == CleanupOutcome.Undone && record.StatusOf(stepId) == StepStatus.Completed)
                {
                    record.Steps[stepId] = StepStatus.Undone;
                }
            }
            catch (Exception exception)
            {
                failures.Add(new CleanupFailure(stepId, exception));
                observer.CleanupFailed(stepId, exception);
            }

            await save(CancellationToken.None);
        }

        return failures;
    }

    /// <summary>An exception's message on one line, for the summary and the run record.</summary>
    public static string OneLine(Exception exception) =>
        exception is OperationCanceledException ? "cancelled" : exception.Message.ReplaceLineEndings(" ");

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "{Target} does not apply: {Reason}")]
    private static partial void LogNotApplicable(ILogger logger, PipelineTarget target, string reason);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "{StepId} completed in an earlier run; resuming after it")]
    private static partial void LogResumed(ILogger logger, string stepId);
}
