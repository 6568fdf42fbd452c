namespace ImagePipeline.Core.Runs;

/// <summary>Where a step stands in a saved run.</summary>
public enum StepStatus
{
    Pending,
    Running,
    Completed,
    Failed,

    /// <summary>It completed, then its cleanup undid its work; a resumed run does it again.</summary>
    Undone,
}
