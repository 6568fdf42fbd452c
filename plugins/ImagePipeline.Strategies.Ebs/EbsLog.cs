using Microsoft.Extensions.Logging;

namespace ImagePipeline.Strategies.Ebs;

/// <summary>
/// The plugin's log events, all of them, with ids 3000–3099 (instance-store has 3100–3199) so users can filter on them.
/// Steps write them through <c>context.Logger</c> (categorised by the step's type), services through their <c>ILogger&lt;T&gt;</c>.
/// </summary>
internal static partial class EbsLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Deregistered image {ImageId} in {Region}")]
    public static partial void ImageDeregistered(this ILogger logger, string imageId, string region);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Deleted snapshot {SnapshotId} in {Region}")]
    public static partial void SnapshotDeleted(this ILogger logger, string snapshotId, string region);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Stopping instance {InstanceId} so its file systems are consistent in the image")]
    public static partial void StoppingInstance(this ILogger logger, string instanceId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Instance {InstanceId} is already stopped; nothing to stop")]
    public static partial void InstanceAlreadyStopped(this ILogger logger, string instanceId);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Starting instance {InstanceId} again, as it was found running")]
    public static partial void StartingInstanceAgain(this ILogger logger, string instanceId);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Leaving instance {InstanceId} stopped (--leave-stopped)")]
    public static partial void LeavingInstanceStopped(this ILogger logger, string instanceId);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Imaging instance {InstanceId} while it runs (--no-reboot): file systems are captured as they are, so making them consistent (sync, freeze, stopped services) is your job")]
    public static partial void ImagingWithoutReboot(this ILogger logger, string instanceId);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "The image keeps the identity of instance {InstanceId} (machine SID, hostname); pass --generalize to run Sysprep first")]
    public static partial void ImageKeepsIdentity(this ILogger logger, string instanceId);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "Running Sysprep on {InstanceId} through EC2Launch v2 (SSM command {CommandId}); the instance shuts down when it is done")]
    public static partial void SysprepSent(this ILogger logger, string instanceId, string commandId);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Information, Message = "Creating image {ImageName} from instance {InstanceId} in {Region}")]
    public static partial void CreatingImage(this ILogger logger, string imageName, string instanceId, string region);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Image {ImageName} exists ({ExistingImageId}) and will be replaced only once the new image is available: creating the new one as {TemporaryName}")]
    public static partial void CreatingUnderTemporaryName(this ILogger logger, string imageName, string existingImageId, string temporaryName);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Created image {ImageId}")]
    public static partial void ImageCreated(this ILogger logger, string imageId);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Information, Message = "Removing image {ImageId} in {Region}, which this failed run created")]
    public static partial void RemovingFailedImage(this ILogger logger, string imageId, string region);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "Keeping image {ImageId} in {Region} after the failure: the old image of that name was already removed, so it is the only one you have")]
    public static partial void KeepingImageAfterReplacement(this ILogger logger, string imageId, string region);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Information, Message = "Keeping image {ImageId} in {Region} (--keep-on-failure)")]
    public static partial void KeepingImageOnFailure(this ILogger logger, string imageId, string region);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Information, Message = "Replacing image {OldImageId} named {ImageName} in {Region} by the new image")]
    public static partial void ReplacingOldImage(this ILogger logger, string oldImageId, string imageName, string region);

    [LoggerMessage(EventId = 3016, Level = LogLevel.Information, Message = "Copying image {ImageId} to {Region} as {CopyImageId}")]
    public static partial void CopyingImage(this ILogger logger, string imageId, string region, string copyImageId);

    [LoggerMessage(EventId = 3017, Level = LogLevel.Information, Message = "Shared image {ImageId} in {Region} with {Accounts} account(s) and {Organizations} organization(s)")]
    public static partial void ImageShared(this ILogger logger, string imageId, string region, int accounts, int organizations);

    [LoggerMessage(EventId = 3018, Level = LogLevel.Information, Message = "Image {ImageId} in {Region} is deprecated from {DeprecateAt:O}")]
    public static partial void ImageDeprecated(this ILogger logger, string imageId, string region, DateTimeOffset deprecateAt);

    [LoggerMessage(EventId = 3019, Level = LogLevel.Warning, Message = "Instance {InstanceId} was generalized by Sysprep: starting it again runs Windows setup, and it comes up with a new identity")]
    public static partial void StartingGeneralizedInstance(this ILogger logger, string instanceId);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "Created volume {VolumeId} ({SizeGiB} GiB) in {AvailabilityZone} for the root file system of instance {InstanceId}")]
    public static partial void RootVolumeCreated(this ILogger logger, string volumeId, int sizeGiB, string availabilityZone, string instanceId);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Information, Message = "Attached volume {VolumeId} to instance {InstanceId} as {Device}")]
    public static partial void RootVolumeAttached(this ILogger logger, string volumeId, string instanceId, string device);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Information, Message = "Imaging {Volume} on {Host} onto {Device} (volume {VolumeId})")]
    public static partial void ImagingOntoVolume(this ILogger logger, string volume, string host, string device, string volumeId);

    [LoggerMessage(EventId = 3023, Level = LogLevel.Information, Message = "Detached volume {VolumeId} from instance {InstanceId}")]
    public static partial void RootVolumeDetached(this ILogger logger, string volumeId, string instanceId);

    [LoggerMessage(EventId = 3024, Level = LogLevel.Information, Message = "Created snapshot {SnapshotId} of volume {VolumeId}")]
    public static partial void RootSnapshotCreated(this ILogger logger, string snapshotId, string volumeId);

    [LoggerMessage(EventId = 3025, Level = LogLevel.Information, Message = "Registering image {ImageName} from snapshot {SnapshotId} ({Architecture}, {VirtualizationType}, ENA {EnaSupport}, boot mode {BootMode})")]
    public static partial void RegisteringImageFromSnapshot(this ILogger logger, string imageName, string snapshotId, string architecture, string virtualizationType, bool? enaSupport, string bootMode);

    [LoggerMessage(EventId = 3026, Level = LogLevel.Information, Message = "Deleted volume {VolumeId} in {Region}")]
    public static partial void VolumeDeleted(this ILogger logger, string volumeId, string region);

    [LoggerMessage(EventId = 3027, Level = LogLevel.Information, Message = "Keeping volume {VolumeId} in {Region} (--keep-on-failure)")]
    public static partial void KeepingVolumeOnFailure(this ILogger logger, string volumeId, string region);

    [LoggerMessage(EventId = 3028, Level = LogLevel.Information, Message = "Keeping snapshot {SnapshotId} in {Region} (--keep-on-failure)")]
    public static partial void KeepingSnapshotOnFailure(this ILogger logger, string snapshotId, string region);

    [LoggerMessage(EventId = 3029, Level = LogLevel.Warning, Message = "Volume bundler on {Host}: {Message}")]
    public static partial void VolumeBundlerWarning(this ILogger logger, string host, string message);
}
