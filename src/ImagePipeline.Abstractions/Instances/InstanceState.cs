namespace ImagePipeline.Abstractions;

/// <summary>The run-state keys the host's LaunchInstance writes and every strategy may read.</summary>
public static class InstanceState
{
    /// <summary>The instance LaunchInstance started; absent when the run images an instance, host or file it was given.</summary>
    public static readonly StateKey<LaunchedInstance> Launched = new("instance.launched");
}
