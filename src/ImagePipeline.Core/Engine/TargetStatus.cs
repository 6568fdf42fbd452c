namespace ImagePipeline.Core.Engine;

/// <summary>A target's status in the summary table.</summary>
public enum TargetStatus
{
    Succeeded,
    Failed,
    Skipped,
    NotApplicable,
    Resumed,
}
