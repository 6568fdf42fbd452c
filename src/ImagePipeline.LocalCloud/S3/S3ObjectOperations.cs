using System.Globalization;
using System.Text;
using System.Xml.Linq;
using ImagePipeline.LocalCloud.Routing;
using ImagePipeline.LocalCloud.Storage;
using Microsoft.AspNetCore.Http;

namespace ImagePipeline.LocalCloud.S3;

/// <summary>Object-level S3 operations: put, get (ranges), head, delete, multi-delete, ACLs.</summary>
internal sealed class S3ObjectOperations(StateStore store, TimeProvider time, S3PayloadReader payloads)
{
    private static readonly XNamespace Ns = S3Xml.Ns;

    public async Task PutObjectAsync(HttpContext context, CallerContext caller, string bucketName, string key, CancellationToken cancellationToken)
    {
        CheckKey(key);
        if (context.Request.Headers.ContainsKey("x-amz-copy-source"))
        {
            throw S3Errors.NotImplemented();
        }

        var acl = context.Request.Headers["x-amz-acl"].ToString();
        (string Algorithm, string? KmsKeyId) sse;
        using (store.Transaction())
        {
            var bucket = S3BucketAccess.Require(store, context, caller, bucketName);
            CannedAcls.Check(bucket, acl);
            sse = ServerSideEncryption.Resolve(context, bucket, caller.Region);
        }

        var payload = await payloads.ReadAsync(context, cancellationToken);
        try
        {
            using (store.Transaction())
            {
                CheckWriteConditions(context, S3BucketAccess.Require(store, context, caller, bucketName), key);
            }
        }
        catch
        {
            File.Delete(payload.TempPath);
            throw;
        }

        var record = new ObjectRecord
        {
            Key = key,
            BlobName = "",
            Size = payload.Size,
            ETag = "\"" + Convert.ToHexStringLower(payload.Md5) + "\"",
            LastModified = time.GetUtcNow(),
            ContentType = ContentTypeOf(context),
            CannedAcl = acl.Length > 0 ? acl : null,
            ServerSideEncryption = sse.Algorithm,
            SseKmsKeyId = sse.KmsKeyId,
            OwnerAccountId = caller.AccountId,
            Metadata = MetadataOf(context),
            Checksums = new Dictionary<string, string>(payload.Checksums, StringComparer.OrdinalIgnoreCase),
        };
        Commit(context, caller, bucketName, record, payload.TempPath);
        context.Response.Headers.ETag = record.ETag;
        ServerSideEncryption.WriteHeaders(context.Response, record.ServerSideEncryption, record.SseKmsKeyId);
        foreach (var (header, value) in record.Checksums)
        {
            context.Response.Headers[header] = value;
        }

        context.Response.StatusCode = 200;
    }

    /// <summary>Moves a finished upload into the bucket, replacing any object under that key.</summary>
    public void Commit(HttpContext context, CallerContext caller, string bucketName, ObjectRecord record, string tempPath)
    {
        using (store.Transaction())
        {
            BucketRecord bucket;
            try
            {
                // Checked again: the bucket may have gone while the body was being read.
                bucket = S3BucketAccess.Require(store, context, caller, bucketName);
            }
            catch
            {
                File.Delete(tempPath);
                throw;
            }

            record.BlobName = store.CommitBlob(tempPath);
            if (bucket.Objects.TryGetValue(record.Key, out var previous))
            {
                store.DeleteBlob(previous.BlobName);
            }

            bucket.Objects[record.Key] = record;
            store.Save();
        }
    }

    public async Task GetObjectAsync(HttpContext context, CallerContext caller, string bucketName, string key, bool headOnly, CancellationToken cancellationToken)
    {
        ObjectRecord record;
        FileStream? blob = null;
        using (store.Transaction())
        {
            var bucket = S3BucketAccess.Require(store, context, caller, bucketName);
            if (!bucket.Objects.TryGetValue(key, out var found))
            {
                // HEAD carries no body, so the SDK sees a bare 404 "NotFound"; GET names the key.
                throw headOnly ? new AwsServiceException(404, "NotFound", "Not Found") : S3Errors.NoSuchKey(key);
            }

            record = found;
            if (!headOnly)
            {
                // Opened under the gate so a concurrent overwrite cannot delete the blob first.
                blob = new FileStream(store.BlobPath(record.BlobName), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, useAsync: true);
            }
        }

        await using (blob)
        {
            var response = context.Response;
            if (CheckConditions(context, record) is { } conditionalStatus)
            {
                response.StatusCode = conditionalStatus;
                if (conditionalStatus == 412)
                {
                    throw new AwsServiceException(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold").With("Condition", "If-Match");
                }

                response.Headers.ETag = record.ETag;
                return;
            }

            var (start, length, partial) = context.Request.Query.ContainsKey("partNumber")
                ? PartRange(context, record)
                : ParseRange(context.Request.Headers.Range.ToString(), record.Size);
            if (record.PartSizes is { } partSizes)
            {
                response.Headers["x-amz-mp-parts-count"] = partSizes.Count.ToString(CultureInfo.InvariantCulture);
            }

            response.StatusCode = partial ? 206 : 200;
            response.Headers.ETag = record.ETag;
            response.Headers.LastModified = AwsTime.Http(record.LastModified);
            response.Headers.AcceptRanges = "bytes";
            ServerSideEncryption.WriteHeaders(response, record.ServerSideEncryption, record.SseKmsKeyId);
            response.ContentType = record.ContentType;
            response.ContentLength = length;
            foreach (var (name, value) in record.Metadata)
            {
                response.Headers["x-amz-meta-" + name] = value;
            }

            if (partial)
            {
                response.Headers.ContentRange = $"bytes {start}-{start + length - 1}/{record.Size}";
            }
            else if (string.Equals(context.Request.Headers["x-amz-checksum-mode"], "ENABLED", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var (header, value) in record.Checksums)
                {
                    response.Headers[header] = value;
                }
            }

            if (blob is null || length == 0)
            {
                return;
            }

            blob.Seek(start, SeekOrigin.Begin);
            var buffer = new byte[81920];
            var remaining = length;
            while (remaining > 0)
            {
                var read = await blob.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                await response.Body.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                remaining -= read;
            }
        }
    }

    public async Task DeleteObjectsAsync(HttpContext context, CallerContext caller, string bucketName, CancellationToken cancellationToken)
    {
        var body = await S3Bodies.ReadAllAsync(context, cancellationToken);
        if (!S3PayloadReader.HasIntegrityHeader(context))
        {
            throw S3Errors.InvalidRequest("Missing required header for this request: Content-MD5");
        }

        S3PayloadReader.CheckContentMd5(context, body);
        var root = S3Xml.ParseBody(body);
        var keys = root.Name.LocalName == "Delete"
            ? S3Xml.Children(root, "Object").Select(o => S3Xml.Child(o, "Key")?.Value).ToList()
            : [];
        if (keys.Count is 0 or > 1000 || keys.Any(k => string.IsNullOrEmpty(k)))
        {
            throw S3Errors.MalformedXml();
        }

        var quiet = string.Equals(S3Xml.Child(root, "Quiet")?.Value, "true", StringComparison.OrdinalIgnoreCase);
        using (store.Transaction())
        {
            var bucket = S3BucketAccess.Require(store, context, caller, bucketName);
            foreach (var key in keys)
            {
                if (bucket.Objects.Remove(key!, out var removed))
                {
                    store.DeleteBlob(removed.BlobName);
                }
            }

            store.Save();
        }

        var result = new XElement(Ns + "DeleteResult", quiet ? null : keys.Select(k => new XElement(Ns + "Deleted", new XElement(Ns + "Key", k))));
        await XmlResponse.WriteAsync(context, result, 200, cancellationToken);
    }

    public Task GetObjectAclAsync(HttpContext context, CallerContext caller, string bucketName, string key, CancellationToken cancellationToken)
    {
        XElement policy;
        using (store.Transaction())
        {
            var bucket = S3BucketAccess.Require(store, context, caller, bucketName);
            if (!bucket.Objects.TryGetValue(key, out var record))
            {
                throw S3Errors.NoSuchKey(key);
            }

            policy = CannedAcls.Policy(record.OwnerAccountId, record.CannedAcl);
        }

        return XmlResponse.WriteAsync(context, policy, 200, cancellationToken);
    }

    /// <summary>
    /// Conditional writes: If-None-Match: * refuses to overwrite (412), If-Match needs the current ETag (412, or 404
    /// when there is no object). Checked once the body is in, as S3 does.
    /// </summary>
    private static void CheckWriteConditions(HttpContext context, BucketRecord bucket, string key)
    {
        var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString();
        var ifMatch = context.Request.Headers.IfMatch.ToString();
        bucket.Objects.TryGetValue(key, out var existing);
        if (ifNoneMatch.Length > 0)
        {
            if (ifNoneMatch != "*")
            {
                throw S3Errors.NotImplemented();
            }

            if (existing is not null)
            {
                throw new AwsServiceException(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold").With("Condition", "If-None-Match");
            }
        }

        if (ifMatch.Length > 0)
        {
            if (existing is null)
            {
                throw S3Errors.NoSuchKey(key);
            }

            if (ifMatch.Trim() != existing.ETag && ifMatch.Trim() != existing.ETag.Trim('"'))
            {
                throw new AwsServiceException(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold").With("Condition", "If-Match");
            }
        }
    }

    public static void CheckKey(string key)
    {
        if (Encoding.UTF8.GetByteCount(key) > 1024)
        {
            throw new AwsServiceException(400, "KeyTooLongError", "Your key is too long");
        }
    }

    public static string ContentTypeOf(HttpContext context) =>
        string.IsNullOrEmpty(context.Request.ContentType) ? "binary/octet-stream" : context.Request.ContentType;

    private const int MaxUserMetadataBytes = 2048;

    public static Dictionary<string, string> MetadataOf(HttpContext context)
    {
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in context.Request.Headers)
        {
            if (name.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase))
            {
                metadata[name["x-amz-meta-".Length..].ToLowerInvariant()] = value.ToString();
            }
        }

        // S3 counts the UTF-8 bytes of every user-metadata key and value against a 2 KB limit.
        var size = metadata.Sum(pair => Encoding.UTF8.GetByteCount(pair.Key) + Encoding.UTF8.GetByteCount(pair.Value));
        if (size > MaxUserMetadataBytes)
        {
            throw new AwsServiceException(400, "MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.")
                .With("Size", size.ToString(CultureInfo.InvariantCulture))
                .With("MaxSizeAllowed", MaxUserMetadataBytes.ToString(CultureInfo.InvariantCulture));
        }

        return metadata;
    }

    private static int? CheckConditions(HttpContext context, ObjectRecord record)
    {
        var ifMatch = context.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0 && ifMatch != "*" && !ifMatch.Split(',').Any(e => e.Trim() == record.ETag))
        {
            return 412;
        }

        var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0 && (ifNoneMatch == "*" || ifNoneMatch.Split(',').Any(e => e.Trim() == record.ETag)))
        {
            return 304;
        }

        return null;
    }

    /// <summary>The bytes of one part (?partNumber=N): a multipart object's Nth part, or the whole of any other for N=1.</summary>
    private static (long Start, long Length, bool Partial) PartRange(HttpContext context, ObjectRecord record)
    {
        var text = context.Request.Query["partNumber"].ToString();
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var partNumber) || partNumber is < 1 or > 10000)
        {
            throw S3Errors.InvalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", text);
        }

        if (context.Request.Headers.Range.Count > 0)
        {
            throw S3Errors.InvalidRequest("Cannot specify both Range header and partNumber query parameter");
        }

        var sizes = record.PartSizes ?? [record.Size];
        if (partNumber > sizes.Count)
        {
            throw new AwsServiceException(416, "InvalidPartNumber", "The requested partnumber is not satisfiable")
                .With("PartNumberRequested", text)
                .With("ActualPartCount", sizes.Count.ToString(CultureInfo.InvariantCulture));
        }

        var start = sizes.Take(partNumber - 1).Sum();
        return (start, sizes[partNumber - 1], true);
    }

    /// <summary>A single byte range (S3 serves only one); unsatisfiable → 416 InvalidRange, unparsable → whole object.</summary>
    private static (long Start, long Length, bool Partial) ParseRange(string header, long size)
    {
        if (!header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || header.Contains(',', StringComparison.Ordinal))
        {
            return (0, size, false);
        }

        var spec = header["bytes=".Length..].Split('-', 2);
        if (spec.Length != 2)
        {
            return (0, size, false);
        }

        long start;
        long end;
        if (spec[0].Length == 0)
        {
            if (!long.TryParse(spec[1], NumberStyles.None, CultureInfo.InvariantCulture, out var suffix) || suffix == 0)
            {
                return (0, size, false);
            }

            start = Math.Max(0, size - suffix);
            end = size - 1;
        }
        else
        {
            if (!long.TryParse(spec[0], NumberStyles.None, CultureInfo.InvariantCulture, out start))
            {
                return (0, size, false);
            }

            end = spec[1].Length == 0 ? size - 1 : long.TryParse(spec[1], NumberStyles.None, CultureInfo.InvariantCulture, out var e) ? Math.Min(e, size - 1) : -2;
            if (end == -2 || end < start && spec[1].Length > 0 && start < size)
            {
                return (0, size, false);
            }
        }

        if (start >= size || size == 0)
        {
            throw new AwsServiceException(416, "InvalidRange", "The requested range is not satisfiable")
                .With("RangeRequested", header)
                .With("ActualObjectSize", size.ToString(CultureInfo.InvariantCulture));
        }

        return (start, end - start + 1, true);
    }
}
