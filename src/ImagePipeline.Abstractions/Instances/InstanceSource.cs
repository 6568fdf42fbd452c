namespace ImagePipeline.Abstractions;

/// <summary>
/// The one answer to "which instance does this run capture": the one LaunchInstance started, else the one the user gave
/// (<c>--instance-id</c>, or <c>--instance-host</c> and the <c>--ssh-*</c> parameters).
/// </summary>
public static class InstanceSource
{
    /// <summary>True when the run starts its own instance from a base image (<c>--source-ami</c> or <c>--source-ami-filter</c>).</summary>
    public static bool WillLaunch(IParameterValues parameters) =>
        parameters.IsSet(CommonParameters.SourceAmi) || parameters.IsSet(CommonParameters.SourceAmiFilter);

    /// <summary>The instance launched by this run, or null.</summary>
    public static LaunchedInstance? Launched(RunState state) => state.TryGet(InstanceState.Launched, out var instance) ? instance : null;

    /// <summary>The id of the instance to capture: the launched one, else <c>--instance-id</c> (which throws, naming it, when unset).</summary>
    public static string InstanceId(StepContext context) =>
        Launched(context.State)?.InstanceId ?? context.Parameters.Get(CommonParameters.InstanceId);

    /// <summary>Where to log in: the launched instance's endpoint, else <c>--instance-host</c> with <c>--ssh-user</c>, <c>--ssh-key</c>, <c>--ssh-port</c> and <c>--ssh-host-key-fingerprint</c>.</summary>
    public static SshEndpoint Ssh(StepContext context) => Launched(context.State)?.Ssh ?? Ssh(context.Parameters);

    /// <summary>The endpoint the parameters give (<c>--instance-host</c> and the <c>--ssh-*</c> parameters); for validation, before anything is launched.</summary>
    public static SshEndpoint Ssh(IParameterValues parameters) =>
        new(parameters.Get(CommonParameters.InstanceHost), parameters.Get(CommonParameters.SshPort), parameters.Get(CommonParameters.SshUser), parameters.Get(CommonParameters.SshKey))
        {
            HostKeyFingerprint = parameters.GetOrDefault(CommonParameters.SshHostKeyFingerprint),
        };
}
