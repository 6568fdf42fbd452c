using System.Globalization;

namespace ImagePipeline.LocalCloud.Routing;

/// <summary>The timestamp spellings AWS uses on the wire.</summary>
internal static class AwsTime
{
    /// <summary>ISO 8601 with milliseconds, as in EC2 and S3 XML: 2026-11-26T21:30:49.000Z.</summary>
    public static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>RFC 1123, as in HTTP headers.</summary>
    public static string Http(DateTimeOffset time) => time.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);
}
