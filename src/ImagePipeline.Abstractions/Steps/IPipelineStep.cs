namespace ImagePipeline.Abstractions;

/// <summary>
/// One small step of a target, in the spirit of Packer's multistep: <see cref="RunAsync"/> does the work and records in
/// <see cref="StepContext.State"/> what it created; <see cref="CleanupAsync"/> is called for every step that started, in
/// reverse order, when the run ends (succeeded, failed or cancelled), and undoes only what the step itself created.
/// Steps are created through dependency injection, so their constructors take the services they need. A step lets an
/// AWS error go: the engine turns it into the one line users see. It logs through <see cref="StepContext.Logger"/>,
/// whose category is the step's own type.
/// </summary>
public interface IPipelineStep
{
    /// <summary>Checks inputs before anything runs, without changing anything (read-only cloud calls are fine).</summary>
    ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    Task RunAsync(StepContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Called once the run has ended, for this step if it started. Look at <see cref="StepContext.Outcome"/> and
    /// <see cref="StepContext.ShouldUndo"/>; return <see cref="CleanupOutcome.Undone"/> when the step's work is gone, so
    /// that a resumed run does it again. A step that creates nothing keeps this default: nothing to undo.
    /// </summary>
    Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken) => Task.FromResult(CleanupOutcome.NothingToUndo);
}
