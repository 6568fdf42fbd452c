using Microsoft.Extensions.Logging;

namespace ImagePipeline.Instances;

/// <summary>
/// The log events of the instance library (SSH sessions, provisioning): EventIds 1500–1599, in the host's range.
/// Written through the logger of the step that uses the session, so each event carries the step's category.
/// </summary>
public static partial class InstancesLog
{
    [LoggerMessage(EventId = 1500, Level = LogLevel.Warning, Message = "Accepted the host key of {Host} without checking it (SHA256:{Fingerprint}); pass --ssh-host-key-fingerprint to pin it")]
    public static partial void HostKeyNotPinned(this ILogger logger, string host, string fingerprint);

    [LoggerMessage(EventId = 1501, Message = "{Host}: {Line}")]
    public static partial void RemoteOutput(this ILogger logger, LogLevel level, string host, string line);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "{What} on {Host}")]
    public static partial void RunningRemoteCommand(this ILogger logger, string what, string host);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Debug, Message = "Connected to {Host}:{Port} over SSH as {User}")]
    public static partial void Connected(this ILogger logger, string host, int port, string user);

    [LoggerMessage(EventId = 1510, Message = "{Script}: {Line}")]
    public static partial void ProvisionOutput(this ILogger logger, LogLevel level, string script, string line);

    [LoggerMessage(EventId = 1511, Level = LogLevel.Information, Message = "Copied {Count} files to {Host}")]
    public static partial void ProvisionFilesCopied(this ILogger logger, int count, string host);

    [LoggerMessage(EventId = 1512, Level = LogLevel.Information, Message = "Provisioning script {Script} finished on {Instance}")]
    public static partial void ProvisionScriptFinished(this ILogger logger, string script, string instance);

    [LoggerMessage(EventId = 1513, Level = LogLevel.Information, Message = "Skipping provisioning script {Script}: it finished in an earlier attempt of this run")]
    public static partial void ProvisionScriptAlreadyRun(this ILogger logger, string script);

    [LoggerMessage(EventId = 1514, Level = LogLevel.Information, Message = "Sent provisioning script {Script} to instance {InstanceId} (SSM command {CommandId})")]
    public static partial void ProvisionCommandSent(this ILogger logger, string script, string instanceId, string commandId);

    [LoggerMessage(EventId = 1515, Level = LogLevel.Information, Message = "Removed the provisioning folder {Folder} from {Host}")]
    public static partial void ProvisionFolderRemoved(this ILogger logger, string folder, string host);
}
