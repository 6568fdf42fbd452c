using Microsoft.Extensions.Logging;

namespace ImagePipeline.Abstractions;

/// <summary>What a step sees while it runs or cleans up.</summary>
public sealed class StepContext
{
    private readonly Func<CancellationToken, Task> _checkpoint;

    public StepContext(
        string runId,
        PipelineTarget target,
        StrategyKey strategy,
        IParameterValues parameters,
        RunState state,
        RunOutputs outputs,
        IProgressReporter progress,
        ILogger logger,
        string workDirectory,
        Func<CancellationToken, Task> checkpoint)
    {
        RunId = runId;
        Target = target;
        Strategy = strategy;
        Parameters = parameters;
        State = state;
        Outputs = outputs;
        Progress = progress;
        Logger = logger;
        WorkDirectory = workDirectory;
        SecretsDirectory = Path.Combine(workDirectory, "secrets");
        _checkpoint = checkpoint;
    }

    /// <summary>The run's id, stable across <c>--resume</c>; handy for idempotency tokens and object metadata.</summary>
    public string RunId { get; }

    public PipelineTarget Target { get; }

    public StrategyKey Strategy { get; }

    public IParameterValues Parameters { get; }

    public RunState State { get; }

    public RunOutputs Outputs { get; }

    public IProgressReporter Progress { get; }

    /// <summary>The step's logger: its category is the step's own type, so every line says which step wrote it.</summary>
    public ILogger Logger { get; }

    /// <summary>A folder private to this run (under <c>.nuke/temp/runs/</c>), kept across <c>--resume</c>.</summary>
    public string WorkDirectory { get; }

    /// <summary>
    /// The folder, inside <see cref="WorkDirectory"/> and private to this step, where the step stages secrets (keys,
    /// certificates). When a run dies without its cleanups (SIGKILL, power loss), the next run of any kind removes the
    /// folder and marks the step for re-running, so a staged key never outlives the process that needed it.
    /// </summary>
    public string SecretsDirectory { get; init; }

    /// <summary>How the run ended; <see cref="RunOutcome.Running"/> while steps still run.</summary>
    public RunOutcome Outcome { get; private set; } = RunOutcome.Running;

    /// <summary>The last target of the run's plan (the one the user asked for): a step can tell an intermediate result that later targets still need from one nobody will read again.</summary>
    public PipelineTarget FinalTarget { get; init; } = PipelineTarget.RegisterImage;

    /// <summary>True when the user asked to keep what a failed run created.</summary>
    public bool KeepOnFailure { get; init; }

    /// <summary>True in a cleanup when this step's work should be undone: the run failed or was cancelled, and the user did not ask to keep it.</summary>
    public bool ShouldUndo => Outcome is RunOutcome.Failed or RunOutcome.Cancelled && !KeepOnFailure;

    /// <summary>True when this step completed in this run or an earlier one (a cleanup can tell a half-done step from a finished one).</summary>
    public bool StepCompleted { get; private set; }

    /// <summary>The one fact that matters from this step, shown in the summary table (an image id, a part count).</summary>
    public string? Note { get; set; }

    /// <summary>True once the step said that what it made replaces what the steps after it worked on (<see cref="RedoLaterSteps"/>).</summary>
    public bool LaterStepsRedone { get; private set; }

    /// <summary>
    /// Says that this step made anew what the steps after it worked on (a resumed run launched a new instance in place of
    /// the one an earlier attempt provisioned and copied files to): every later step then runs again, even one an earlier
    /// attempt completed, in every later target.
    /// </summary>
    public void RedoLaterSteps() => LaterStepsRedone = true;

    /// <summary>Saves the run state now, in the middle of a step, so that what was just created survives a crash.</summary>
    public Task CheckpointAsync(CancellationToken cancellationToken) => _checkpoint(cancellationToken);

    /// <summary>Lets the engine move the context to its cleanup phase.</summary>
    public void EnterCleanup(RunOutcome outcome, bool stepCompleted)
    {
        Outcome = outcome;
        StepCompleted = stepCompleted;
    }
}
