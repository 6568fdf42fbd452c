using Microsoft.Extensions.Logging;

namespace CustomStrategy;

/// <summary>
/// The plugin's log events, all in one place, with ids 10000–10099: a plugin outside the ImagePipeline repository takes
/// a block of 100 at 10000 or above, so users can filter on them. Steps write them through <c>context.Logger</c>.
/// </summary>
internal static partial class TaggedEbsLog
{
    [LoggerMessage(EventId = 10000, Level = LogLevel.Information, Message = "Capturing {InstanceId} as {ImageId}")]
    public static partial void ImageCaptured(this ILogger logger, string instanceId, string imageId);

    [LoggerMessage(EventId = 10001, Level = LogLevel.Information, Message = "Deregistered {ImageId} and deleted {Count} snapshot(s)")]
    public static partial void ImageRemoved(this ILogger logger, string imageId, int count);
}
