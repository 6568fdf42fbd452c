using Microsoft.Extensions.Logging;

namespace ImagePipeline.Strategies.InstanceStore;

/// <summary>
/// The plugin's log events, all of them, with ids 3100–3199 (ebs has 3000–3099) so users can filter on them; 3150–3199
/// are kept for the live-volume bundler's steps. Steps write them through <c>context.Logger</c> (categorised by the
/// step's type), services through their <c>ILogger&lt;T&gt;</c>.
/// </summary>
internal static partial class InstanceStoreLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Using bucket {Bucket} in {Region}; the bundle goes under {Prefix}/")]
    public static partial void UsingBucket(this ILogger logger, string bucket, string region, string prefix);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Created bucket {Bucket} in {Region} (public access blocked, AES256 by default)")]
    public static partial void BucketCreated(this ILogger logger, string bucket, string region);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Kept bucket {Bucket} that this run created: it is not empty")]
    public static partial void BucketKeptNotEmpty(this ILogger logger, string bucket);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Deleted bucket {Bucket} that this run created")]
    public static partial void BucketDeleted(this ILogger logger, string bucket);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "The S3 server does not implement Block Public Access or default encryption; bucket {Bucket} is as private as that server makes it")]
    public static partial void BucketLockDownUnsupported(this ILogger logger, string bucket);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Information, Message = "Staged the certificate and key in {Directory} (0700; removed when the run ends)")]
    public static partial void CertificatesStaged(this ILogger logger, string directory);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Information, Message = "Removed the staged certificate and key in {Directory}")]
    public static partial void StagedCertificatesRemoved(this ILogger logger, string directory);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Information, Message = "Copied the certificate and key to {Host}:{Directory} (0700; removed when the run ends)")]
    public static partial void CertificatesCopiedToInstance(this ILogger logger, string host, string directory);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Information, Message = "Removed the certificate and key from {Host}:{Directory}")]
    public static partial void CertificatesRemovedFromInstance(this ILogger logger, string host, string directory);

    [LoggerMessage(EventId = 3109, Level = LogLevel.Information, Message = "Removed {Count} bundle files in {Directory}")]
    public static partial void BundleFilesRemoved(this ILogger logger, int count, string directory);

    [LoggerMessage(EventId = 3113, Level = LogLevel.Information, Message = "Pulled {Count} parts from {Host} into {Directory}")]
    public static partial void BundlePulled(this ILogger logger, int count, string host, string directory);

    [LoggerMessage(EventId = 3114, Level = LogLevel.Information, Message = "Bundle task {BundleId} started for {InstanceId} into s3://{Bucket}/{Prefix}")]
    public static partial void BundleTaskStarted(this ILogger logger, string bundleId, string instanceId, string bucket, string prefix);

    [LoggerMessage(EventId = 3115, Level = LogLevel.Information, Message = "Cancelled bundle task {BundleId}")]
    public static partial void BundleTaskCancelled(this ILogger logger, string bundleId);

    [LoggerMessage(EventId = 3116, Level = LogLevel.Warning, Message = "Bundle task {BundleId} could not be cancelled ({Reason})")]
    public static partial void BundleTaskCancelRefused(this ILogger logger, string bundleId, string reason);

    [LoggerMessage(EventId = 3117, Level = LogLevel.Warning, Message = "s3 prefix {Prefix} already holds a bundle: this run uploads to {NewPrefix} and removes the old bundle once the new image is registered (--force-deregister)")]
    public static partial void ReplacingBundleAtPrefix(this ILogger logger, string prefix, string newPrefix);

    [LoggerMessage(EventId = 3118, Level = LogLevel.Information, Message = "Uploaded {Sent} files ({AlreadyPresent} were already there); the manifest is {Location}")]
    public static partial void BundleUploaded(this ILogger logger, int sent, int alreadyPresent, string location);

    [LoggerMessage(EventId = 3119, Level = LogLevel.Information, Message = "Deleted the {Count} objects this run uploaded")]
    public static partial void UploadedObjectsDeleted(this ILogger logger, int count);

    [LoggerMessage(EventId = 3120, Level = LogLevel.Warning, Message = "Left s3://{Bucket}/{Key} in place: this run did not create it (its run id: {Owner})")]
    public static partial void ObjectLeftInPlace(this ILogger logger, string bucket, string key, string owner);

    [LoggerMessage(EventId = 3122, Level = LogLevel.Information, Message = "Registered {ImageId} as '{Name}'")]
    public static partial void ImageRegistered(this ILogger logger, string imageId, string name);

    [LoggerMessage(EventId = 3123, Level = LogLevel.Warning, Message = "Deregistered {ImageId}, the earlier image named '{Name}' (--force-deregister)")]
    public static partial void OldImageDeregistered(this ILogger logger, string imageId, string name);

    [LoggerMessage(EventId = 3124, Level = LogLevel.Information, Message = "Deregistered {ImageId} that this run registered")]
    public static partial void RegisteredImageDeregistered(this ILogger logger, string imageId);

    [LoggerMessage(EventId = 3125, Level = LogLevel.Warning, Message = "Removed the replaced bundle ({Count} objects) at s3://{Bucket}/{Prefix} (--force-deregister)")]
    public static partial void ReplacedBundleRemoved(this ILogger logger, int count, string bucket, string prefix);

    [LoggerMessage(EventId = 3126, Level = LogLevel.Warning, Message = "Kept the replaced bundle at s3://{Bucket}/{Prefix}: images {ImageIds} still boot from it")]
    public static partial void ReplacedBundleKept(this ILogger logger, string bucket, string prefix, string imageIds);

    [LoggerMessage(EventId = 3150, Level = LogLevel.Information, Message = "Copied the public certificates to {Host}:{Directory} (no private key: the manifest is signed on this machine)")]
    public static partial void PublicCertificatesCopied(this ILogger logger, string host, string directory);


    [LoggerMessage(EventId = 3152, Level = LogLevel.Warning, Message = "{Host}: {Message}")]
    public static partial void VolumeBundlerWarning(this ILogger logger, string host, string message);

    [LoggerMessage(EventId = 3153, Level = LogLevel.Warning, Message = "{Host} (volume bundler): {Line}")]
    public static partial void VolumeBundlerOutput(this ILogger logger, string host, string line);

    [LoggerMessage(EventId = 3154, Level = LogLevel.Information, Message = "{Host} holds a finished bundle from an earlier attempt of this run ({Path}); not bundling again")]
    public static partial void FinishedBundleFound(this ILogger logger, string host, string path);

    [LoggerMessage(EventId = 3155, Level = LogLevel.Information, Message = "Bundled {Name} on {Host}: {Parts} parts, {Bytes} bytes; the manifest was written and signed here: {ManifestPath}")]
    public static partial void BundleSealed(this ILogger logger, string name, string host, int parts, long bytes, string manifestPath);


    [LoggerMessage(EventId = 3157, Level = LogLevel.Information, Message = "Removed {What} from {Host}")]
    public static partial void RemovedFromInstance(this ILogger logger, string what, string host);

    [LoggerMessage(EventId = 3158, Level = LogLevel.Information, Message = "Uploaded {Parts} of {Total} parts while the bundle was being written ({Overlap:0.0} s of upload overlapped bundling)")]
    public static partial void UploadedWhileBundling(this ILogger logger, int parts, int total, double overlap);

    [LoggerMessage(EventId = 3159, Level = LogLevel.Information, Message = "Uploaded the manifest last: {Location} ({Sent} parts sent now, {AlreadyPresent} were already there)")]
    public static partial void StreamedBundleUploaded(this ILogger logger, string location, int sent, int alreadyPresent);

    [LoggerMessage(EventId = 3160, Level = LogLevel.Warning, Message = "Uploading {Part} while bundling failed ({Reason}); UploadBundle sends it again")]
    public static partial void PartLeftForUploadBundle(this ILogger logger, string part, string reason);

    [LoggerMessage(EventId = 3161, Level = LogLevel.Error, Message = "Uploading {Part} while bundling failed for good ({Reason}); bundling stops")]
    public static partial void PartUploadFailedForGood(this ILogger logger, string part, string reason);
}
