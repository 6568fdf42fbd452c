using Microsoft.Extensions.Logging;

namespace ImagePipeline.Abstractions;

/// <summary>
/// Opens SSH sessions to instances (Packer's "communicator"). The host registers the one implementation; a step takes
/// it in its constructor, so that every plugin logs in, checks host keys and reports connection problems alike.
/// </summary>
public interface IRemoteShell
{
    /// <summary>
    /// Connects and authenticates. Throws a <see cref="PipelineException"/> of kind input that names the fix when the
    /// host cannot be reached, refuses the key, or shows another host key than <see cref="SshEndpoint.HostKeyFingerprint"/>.
    /// </summary>
    Task<IRemoteSession> ConnectAsync(SshEndpoint endpoint, ILogger logger, CancellationToken cancellationToken);
}
