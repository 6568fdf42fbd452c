using Microsoft.Extensions.Logging;

namespace ImagePipeline.Instances.Launching;

/// <summary>LaunchInstance's log events: EventIds 1600–1649 (the host's range; 1500–1599 are the SSH sessions' and provisioning's).</summary>
internal static partial class LaunchLog
{
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
}
