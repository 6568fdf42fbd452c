using Microsoft.Extensions.Logging;

namespace ImagePipeline.Strategies.InstanceStore;

/// <summary>
/// The log events of the instance-store plugin. 3150–3199: the builtin live-volume bundler's steps (copying the program
/// and the public certificates to the instance, running it, uploading while it bundles, cleaning the instance).
/// </summary>
internal static partial class InstanceStoreLog
{
    [LoggerMessage(EventId = 3150, Level = LogLevel.Information, Message = "Copied the public certificates to {Host}:{Directory} (no private key: the manifest is signed on this machine)")]
    public static partial void PublicCertificatesCopied(this ILogger logger, string host, string directory);

    [LoggerMessage(EventId = 3151, Level = LogLevel.Information, Message = "Copied the volume bundler for {Runtime} to {Host}:{Path} ({Size} bytes, SHA-256 {Sha256} checked there)")]
    public static partial void VolumeBundlerCopied(this ILogger logger, string runtime, string host, string path, long size, string sha256);

    [LoggerMessage(EventId = 3152, Level = LogLevel.Warning, Message = "{Host}: {Message}")]
    public static partial void VolumeBundlerWarning(this ILogger logger, string host, string message);

    [LoggerMessage(EventId = 3153, Level = LogLevel.Warning, Message = "{Host} (volume bundler): {Line}")]
    public static partial void VolumeBundlerOutput(this ILogger logger, string host, string line);

    [LoggerMessage(EventId = 3154, Level = LogLevel.Information, Message = "{Host} holds a finished bundle from an earlier attempt of this run ({Path}); not bundling again")]
    public static partial void FinishedBundleFound(this ILogger logger, string host, string path);

    [LoggerMessage(EventId = 3155, Level = LogLevel.Information, Message = "Bundled {Name} on {Host}: {Parts} parts, {Bytes} bytes; the manifest was written and signed here: {ManifestPath}")]
    public static partial void BundleSealed(this ILogger logger, string name, string host, int parts, long bytes, string manifestPath);

    [LoggerMessage(EventId = 3156, Level = LogLevel.Warning, Message = "Stopping the volume bundler on {Host} (it removes its image, mount, loop device and parts)")]
    public static partial void StoppingVolumeBundler(this ILogger logger, string host);

    [LoggerMessage(EventId = 3157, Level = LogLevel.Information, Message = "Removed {What} from {Host}")]
    public static partial void RemovedFromInstance(this ILogger logger, string what, string host);

    [LoggerMessage(EventId = 3158, Level = LogLevel.Information, Message = "Uploaded {Parts} of {Total} parts while the bundle was being written ({Overlap:0.0} s of upload overlapped bundling)")]
    public static partial void UploadedWhileBundling(this ILogger logger, int parts, int total, double overlap);

    [LoggerMessage(EventId = 3159, Level = LogLevel.Information, Message = "Uploaded the manifest last: {Location} ({Sent} parts sent now, {AlreadyPresent} were already there)")]
    public static partial void StreamedBundleUploaded(this ILogger logger, string location, int sent, int alreadyPresent);

    [LoggerMessage(EventId = 3160, Level = LogLevel.Warning, Message = "Uploading {Part} while bundling failed ({Reason}); UploadBundle sends it again")]
    public static partial void PartLeftForUploadBundle(this ILogger logger, string part, string reason);
}
