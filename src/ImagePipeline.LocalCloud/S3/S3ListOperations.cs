using System.Globalization;
using System.Text;
using System.Xml.Linq;
using ImagePipeline.LocalCloud.Routing;
using ImagePipeline.LocalCloud.Storage;
using Microsoft.AspNetCore.Http;

namespace ImagePipeline.LocalCloud.S3;

/// <summary>ListObjectsV2 and ListObjects (v1): prefix, delimiter, paging, encoding-type=url.</summary>
internal sealed class S3ListOperations(StateStore store)
{
    private static readonly XNamespace Ns = S3Xml.Ns;

    public Task ListObjectsV2Async(HttpContext context, CallerContext caller, string bucketName, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var prefix = query["prefix"].ToString();
        var delimiter = query["delimiter"].ToString();
        var startAfter = query["start-after"].ToString();
        var token = query["continuation-token"].ToString();
        var maxKeys = ParseMaxKeys(query["max-keys"].ToString());
        var urlEncode = ParseEncoding(query["encoding-type"].ToString());
        var fetchOwner = string.Equals(query["fetch-owner"], "true", StringComparison.OrdinalIgnoreCase);
        string after = startAfter;
        if (query.ContainsKey("continuation-token"))
        {
            after = DecodeToken(token);
        }

        Page page;
        using (store.Transaction())
        {
            page = Collect(S3BucketAccess.Require(store, context, caller, bucketName), prefix, delimiter, after, maxKeys);
        }

        string Enc(string value) => urlEncode ? Uri.EscapeDataString(value).Replace("%2F", "/", StringComparison.Ordinal) : value;
        var root = new XElement(
            Ns + "ListBucketResult",
            new XElement(Ns + "Name", bucketName),
            new XElement(Ns + "Prefix", Enc(prefix)),
            query.ContainsKey("continuation-token") ? new XElement(Ns + "ContinuationToken", token) : null,
            startAfter.Length > 0 ? new XElement(Ns + "StartAfter", Enc(startAfter)) : null,
            new XElement(Ns + "KeyCount", page.Objects.Count + page.CommonPrefixes.Count),
            new XElement(Ns + "MaxKeys", maxKeys),
            delimiter.Length > 0 ? new XElement(Ns + "Delimiter", Enc(delimiter)) : null,
            urlEncode ? new XElement(Ns + "EncodingType", "url") : null,
            new XElement(Ns + "IsTruncated", page.Truncated ? "true" : "false"),
            page.Truncated ? new XElement(Ns + "NextContinuationToken", EncodeToken(page.LastReturned!)) : null,
            page.Objects.Select(o => Contents(o, Enc, fetchOwner)),
            page.CommonPrefixes.Select(p => new XElement(Ns + "CommonPrefixes", new XElement(Ns + "Prefix", Enc(p)))));
        return XmlResponse.WriteAsync(context, root, 200, cancellationToken);
    }

    public Task ListObjectsAsync(HttpContext context, CallerContext caller, string bucketName, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var prefix = query["prefix"].ToString();
        var delimiter = query["delimiter"].ToString();
        var marker = query["marker"].ToString();
        var maxKeys = ParseMaxKeys(query["max-keys"].ToString());
        var urlEncode = ParseEncoding(query["encoding-type"].ToString());
        Page page;
        using (store.Transaction())
        {
            page = Collect(S3BucketAccess.Require(store, context, caller, bucketName), prefix, delimiter, marker, maxKeys);
        }

        string Enc(string value) => urlEncode ? Uri.EscapeDataString(value).Replace("%2F", "/", StringComparison.Ordinal) : value;
        var root = new XElement(
            Ns + "ListBucketResult",
            new XElement(Ns + "Name", bucketName),
            new XElement(Ns + "Prefix", Enc(prefix)),
            new XElement(Ns + "Marker", Enc(marker)),
            page.Truncated && delimiter.Length > 0 ? new XElement(Ns + "NextMarker", Enc(page.LastReturned!)) : null,
            new XElement(Ns + "MaxKeys", maxKeys),
            delimiter.Length > 0 ? new XElement(Ns + "Delimiter", Enc(delimiter)) : null,
            urlEncode ? new XElement(Ns + "EncodingType", "url") : null,
            new XElement(Ns + "IsTruncated", page.Truncated ? "true" : "false"),
            page.Objects.Select(o => Contents(o, Enc, fetchOwner: true)),
            page.CommonPrefixes.Select(p => new XElement(Ns + "CommonPrefixes", new XElement(Ns + "Prefix", Enc(p)))));
        return XmlResponse.WriteAsync(context, root, 200, cancellationToken);
    }

    private static XElement Contents(ObjectRecord o, Func<string, string> enc, bool fetchOwner) =>
        new(
            Ns + "Contents",
            new XElement(Ns + "Key", enc(o.Key)),
            new XElement(Ns + "LastModified", AwsTime.Iso(o.LastModified)),
            new XElement(Ns + "ETag", o.ETag),
            o.Checksums.Count > 0 ? new XElement(Ns + "ChecksumAlgorithm", o.Checksums.Keys.First()["x-amz-checksum-".Length..].ToUpperInvariant()) : null,
            new XElement(Ns + "Size", o.Size),
            fetchOwner ? S3Xml.Owner(o.OwnerAccountId) : null,
            new XElement(Ns + "StorageClass", "STANDARD"));

    private static Page Collect(BucketRecord bucket, string prefix, string delimiter, string after, int maxKeys)
    {
        var objects = new List<ObjectRecord>();
        var prefixes = new List<string>();
        string? last = null;
        var truncated = false;
        foreach (var (key, record) in bucket.Objects)
        {
            if (string.CompareOrdinal(key, after) <= 0 || !key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            string? common = null;
            if (delimiter.Length > 0)
            {
                var at = key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
                if (at >= 0)
                {
                    common = key[..(at + delimiter.Length)];
                }
            }

            if (common is not null && prefixes.Count > 0 && prefixes[^1] == common)
            {
                continue;
            }

            // A common prefix already handed out on a previous page is skipped as a whole.
            if (common is not null && string.CompareOrdinal(common, after) <= 0 && after.StartsWith(common, StringComparison.Ordinal))
            {
                continue;
            }

            if (objects.Count + prefixes.Count >= maxKeys)
            {
                truncated = true;
                break;
            }

            if (common is not null)
            {
                prefixes.Add(common);
                last = common;
            }
            else
            {
                objects.Add(record);
                last = key;
            }
        }

        // A continuation after a common prefix must skip every key under it: the highest possible key does that.
        if (last is not null && prefixes.Count > 0 && last == prefixes[^1])
        {
            last += "\U0010FFFF";
        }

        return new Page(objects, prefixes, truncated, last);
    }

    private static int ParseMaxKeys(string value)
    {
        if (value.Length == 0)
        {
            return 1000;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var maxKeys))
        {
            throw S3Errors.InvalidArgument("Provided max-keys not an integer or within integer range", "max-keys", value);
        }

        return Math.Min(maxKeys, 1000);
    }

    private static bool ParseEncoding(string value) => value switch
    {
        "" => false,
        "url" => true,
        _ => throw S3Errors.InvalidArgument("Invalid Encoding Method specified in Request", "encoding-type", value),
    };

    private static string EncodeToken(string lastKey) => Convert.ToBase64String(Encoding.UTF8.GetBytes("v1:" + lastKey));

    private static string DecodeToken(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith("v1:", StringComparison.Ordinal))
            {
                return text[3..];
            }
        }
        catch (FormatException)
        {
            // Falls through to S3's answer for a token it did not issue.
        }

        throw S3Errors.InvalidArgument("The continuation token provided is incorrect", "continuation-token", token);
    }

    private sealed record Page(List<ObjectRecord> Objects, List<string> CommonPrefixes, bool Truncated, string? LastReturned);
}
