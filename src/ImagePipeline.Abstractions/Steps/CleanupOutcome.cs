namespace ImagePipeline.Abstractions;

/// <summary>What a cleanup did, so the engine knows whether a resumed run must do the step again.</summary>
public enum CleanupOutcome
{
    /// <summary>The step created nothing that needed undoing; its work still stands.</summary>
    NothingToUndo,

    /// <summary>The step's work was undone; a resumed run does the step again.</summary>
    Undone,

    /// <summary>The step's work was kept on purpose (success, or <c>--keep-on-failure</c>).</summary>
    Kept,
}
