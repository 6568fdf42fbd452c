namespace ImagePipeline;

/// <summary>Why an ImagePipeline call failed: the same kinds, and numbers, as the command's exit codes.</summary>
public enum ImagePipelineFailureKind
{
    /// <summary>A target failed (exit code 1); what it created was undone unless KeepOnFailure.</summary>
    TargetFailed = 1,

    /// <summary>Bad input (exit code 2): a parameter, a plugin, a validation error; nothing was created.</summary>
    InvalidInput = 2,

    /// <summary>Cancelled (exit code 130); the cleanups of the steps that started ran.</summary>
    Cancelled = 130,
}
