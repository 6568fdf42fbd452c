namespace ImagePipeline.Abstractions;

/// <summary>
/// Where and how to log in to an instance over SSH: the instance given with <c>--instance-host</c> (and <c>--ssh-*</c>),
/// or the one LaunchInstance started (its address and the run's temporary key). <see cref="PrivateKeyFile"/> is a path,
/// never the key itself, so an endpoint may be kept in the run state.
/// </summary>
public sealed record SshEndpoint(string Host, int Port, string User, string PrivateKeyFile)
{
    /// <summary>The SHA256 fingerprint the host key must have (as <c>ssh-keygen -l</c> prints it), or null to accept any and log it.</summary>
    public string? HostKeyFingerprint { get; init; }
}
