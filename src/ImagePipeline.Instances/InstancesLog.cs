using Microsoft.Extensions.Logging;

namespace ImagePipeline.Instances;

/// <summary>
/// The log events of the instance library, in the host's range: SSH sessions and provisioning 1500–1599, launching
/// 1600–1649, the volume bundler 1650–1669.
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

    [LoggerMessage(EventId = 1600, Level = LogLevel.Information, Message = "Launching from {ImageId} ({ImageName}, {Architecture}, {RootDeviceType})")]
    public static partial void SourceImageChosen(this ILogger logger, string imageId, string imageName, string architecture, string rootDeviceType);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "Created temporary key pair {KeyName} ({KeyPairId}); its private key is in the run's secrets folder only")]
    public static partial void KeyPairCreated(this ILogger logger, string keyName, string keyPairId);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Warning, Message = "The private key of temporary key pair {KeyName} was removed (the run stopped without its cleanups); deleting the pair and making a new one")]
    public static partial void KeyPairLost(this ILogger logger, string keyName);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Information, Message = "Created temporary security group {GroupId} in {VpcId}, admitting SSH on port {Port} from {Cidr}")]
    public static partial void SecurityGroupCreated(this ILogger logger, string groupId, string vpcId, int port, string cidr);

    [LoggerMessage(EventId = 1604, Level = LogLevel.Information, Message = "Launched {InstanceId} ({InstanceType}) from {ImageId} in {AvailabilityZone}")]
    public static partial void InstanceLaunched(this ILogger logger, string instanceId, string instanceType, string imageId, string availabilityZone);

    [LoggerMessage(EventId = 1605, Level = LogLevel.Information, Message = "Reusing {InstanceId}, which this run launched and which is still {State}")]
    public static partial void InstanceReused(this ILogger logger, string instanceId, string state);

    [LoggerMessage(EventId = 1606, Level = LogLevel.Warning, Message = "Instance {InstanceId}, which this run launched, cannot be logged in to any more (its temporary private key was removed); terminating it and launching anew")]
    public static partial void InstanceUnreachable(this ILogger logger, string instanceId);

    [LoggerMessage(EventId = 1607, Level = LogLevel.Information, Message = "Instance {InstanceId}, which this run launched, is {State}; launching anew")]
    public static partial void InstanceGone(this ILogger logger, string instanceId, string state);

    [LoggerMessage(EventId = 1608, Level = LogLevel.Information, Message = "Terminating {InstanceId}, which this run launched")]
    public static partial void TerminatingInstance(this ILogger logger, string instanceId);

    [LoggerMessage(EventId = 1609, Level = LogLevel.Information, Message = "Keeping {InstanceId} ({Reason}); terminate it yourself when done")]
    public static partial void KeepingInstance(this ILogger logger, string instanceId, string reason);

    [LoggerMessage(EventId = 1610, Level = LogLevel.Information, Message = "Deleted temporary security group {GroupId}")]
    public static partial void SecurityGroupDeleted(this ILogger logger, string groupId);

    [LoggerMessage(EventId = 1611, Level = LogLevel.Information, Message = "Deleted temporary key pair {KeyName}")]
    public static partial void KeyPairDeleted(this ILogger logger, string keyName);

    [LoggerMessage(EventId = 1612, Level = LogLevel.Information, Message = "SSH on {Host}:{Port} answers")]
    public static partial void SshAnswers(this ILogger logger, string host, int port);

    [LoggerMessage(EventId = 1613, Level = LogLevel.Information, Message = "The SSM agent on {InstanceId} is online")]
    public static partial void SsmOnline(this ILogger logger, string instanceId);

    [LoggerMessage(EventId = 1614, Level = LogLevel.Information, Message = "Instance {InstanceId} passed its status checks")]
    public static partial void StatusChecksPassed(this ILogger logger, string instanceId);

    [LoggerMessage(EventId = 1650, Level = LogLevel.Information, Message = "Copied the volume bundler for {Runtime} to {Host}:{Path} ({Size} bytes, SHA-256 {Sha256} checked there)")]
    public static partial void VolumeBundlerCopied(this ILogger logger, string runtime, string host, string path, long size, string sha256);

    [LoggerMessage(EventId = 1651, Level = LogLevel.Warning, Message = "{Host} (volume bundler): {Line}")]
    public static partial void VolumeBundlerOutput(this ILogger logger, string host, string line);

    [LoggerMessage(EventId = 1652, Level = LogLevel.Warning, Message = "Stopping the volume bundler on {Host} (it removes its image, mount, loop device and parts)")]
    public static partial void VolumeBundlerStopped(this ILogger logger, string host);

    [LoggerMessage(EventId = 1653, Level = LogLevel.Information, Message = "Removed the volume bundler from {Host}")]
    public static partial void VolumeBundlerRemoved(this ILogger logger, string host);
}
