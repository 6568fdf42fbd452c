namespace ImagePipeline.Instances.Provisioning;

/// <summary>
/// How many of the scripts finished, in order, on which instance: a resumed run skips them only on that same instance
/// (one launched anew in its place has none of them).
/// </summary>
/// <param name="Instance">The instance id, or the SSH endpoint of <c>--instance-host</c>.</param>
/// <param name="ScriptsDone">How many scripts finished successfully there.</param>
public sealed record ProvisionProgress(string Instance, int ScriptsDone)
{
    /// <summary>How many scripts are done on <paramref name="instance"/>, as far as this progress tells.</summary>
    public static int DoneOn(ProvisionProgress? progress, string instance) => progress?.Instance == instance ? progress.ScriptsDone : 0;
}
