namespace ImagePipeline.Abstractions;

/// <summary>How the run ended, as cleanups see it.</summary>
public enum RunOutcome
{
    Running,
    Succeeded,
    Failed,
    Cancelled,
}
