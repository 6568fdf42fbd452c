using System.Globalization;
using System.Security.Cryptography;
using System.Xml.Linq;
using ImagePipeline.LocalCloud.Routing;
using ImagePipeline.LocalCloud.Storage;
using Microsoft.AspNetCore.Http;

namespace ImagePipeline.LocalCloud.S3;

/// <summary>Multipart uploads: create, upload part, complete (md5-of-md5s-N, EntityTooSmall), abort, list parts.</summary>
internal sealed class S3MultipartOperations(StateStore store, TimeProvider time, S3PayloadReader payloads, S3ObjectOperations objects)
{
    private const long MinimumPartSize = 5L * 1024 * 1024;
    private static readonly XNamespace Ns = S3Xml.Ns;

    public Task CreateAsync(HttpContext context, CallerContext caller, string bucketName, string key, CancellationToken cancellationToken)
    {
        S3ObjectOperations.CheckKey(key);
        var acl = context.Request.Headers["x-amz-acl"].ToString();
        var upload = new MultipartUploadRecord
        {
            UploadId = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).Replace('+', '-').Replace('/', '_').TrimEnd('='),
            Key = key,
            InitiatedAt = time.GetUtcNow(),
            ContentType = S3ObjectOperations.ContentTypeOf(context),
            CannedAcl = acl.Length > 0 ? acl : null,
            OwnerAccountId = caller.AccountId,
            Metadata = S3ObjectOperations.MetadataOf(context),
        };
        using (store.Transaction())
        {
            var bucket = S3BucketAccess.Require(store, context, caller, bucketName);
            CannedAcls.Check(bucket, acl);
            (upload.ServerSideEncryption, upload.SseKmsKeyId) = ServerSideEncryption.Resolve(context, bucket, caller.Region);
            bucket.Uploads[upload.UploadId] = upload;
            store.Save();
        }

        var root = new XElement(
            Ns + "InitiateMultipartUploadResult",
            new XElement(Ns + "Bucket", bucketName),
            new XElement(Ns + "Key", key),
            new XElement(Ns + "UploadId", upload.UploadId));
        ServerSideEncryption.WriteHeaders(context.Response, upload.ServerSideEncryption, upload.SseKmsKeyId);
        return XmlResponse.WriteAsync(context, root, 200, cancellationToken);
    }

    public async Task UploadPartAsync(HttpContext context, CallerContext caller, string bucketName, string key, CancellationToken cancellationToken)
    {
        var uploadId = context.Request.Query["uploadId"].ToString();
        var partText = context.Request.Query["partNumber"].ToString();
        if (!int.TryParse(partText, NumberStyles.None, CultureInfo.InvariantCulture, out var partNumber) || partNumber is < 1 or > 10000)
        {
            throw S3Errors.InvalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", partText);
        }

        using (store.Transaction())
        {
            RequireUpload(S3BucketAccess.Require(store, context, caller, bucketName), uploadId, key);
        }

        var payload = await payloads.ReadAsync(context, cancellationToken);
        var part = new PartRecord
        {
            PartNumber = partNumber,
            BlobName = "",
            Size = payload.Size,
            ETag = "\"" + Convert.ToHexStringLower(payload.Md5) + "\"",
            LastModified = time.GetUtcNow(),
        };
        MultipartUploadRecord upload;
        using (store.Transaction())
        {
            try
            {
                upload = RequireUpload(S3BucketAccess.Require(store, context, caller, bucketName), uploadId, key);
            }
            catch
            {
                File.Delete(payload.TempPath);
                throw;
            }

            part.BlobName = store.CommitBlob(payload.TempPath);
            if (upload.Parts.TryGetValue(partNumber, out var previous))
            {
                store.DeleteBlob(previous.BlobName);
            }

            upload.Parts[partNumber] = part;
            store.Save();
        }

        context.Response.Headers.ETag = part.ETag;
        ServerSideEncryption.WriteHeaders(context.Response, upload.ServerSideEncryption, upload.SseKmsKeyId);
        foreach (var (header, value) in payload.Checksums)
        {
            context.Response.Headers[header] = value;
        }

        context.Response.StatusCode = 200;
    }

    public async Task CompleteAsync(HttpContext context, CallerContext caller, string bucketName, string key, CancellationToken cancellationToken)
    {
        var uploadId = context.Request.Query["uploadId"].ToString();
        var body = await S3Bodies.ReadAllAsync(context, cancellationToken);
        S3PayloadReader.CheckContentMd5(context, body);
        var root = S3Xml.ParseBody(body);
        var requested = new List<(int Number, string ETag)>();
        if (root.Name.LocalName != "CompleteMultipartUpload")
        {
            throw S3Errors.MalformedXml();
        }

        foreach (var element in S3Xml.Children(root, "Part"))
        {
            var numberText = S3Xml.Child(element, "PartNumber")?.Value;
            var etag = S3Xml.Child(element, "ETag")?.Value;
            if (!int.TryParse(numberText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || etag is null)
            {
                throw S3Errors.MalformedXml();
            }

            requested.Add((number, etag));
        }

        if (requested.Count == 0)
        {
            throw S3Errors.MalformedXml();
        }

        List<PartRecord> parts = [];
        MultipartUploadRecord upload;
        using (store.Transaction())
        {
            upload = RequireUpload(S3BucketAccess.Require(store, context, caller, bucketName), uploadId, key);
            for (var i = 0; i < requested.Count; i++)
            {
                var (number, etag) = requested[i];
                if (i > 0 && number <= requested[i - 1].Number)
                {
                    throw new AwsServiceException(400, "InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be specified in order by part number.");
                }

                if (!upload.Parts.TryGetValue(number, out var part) || part.ETag.Trim('"') != etag.Trim().Trim('"'))
                {
                    throw new AwsServiceException(400, "InvalidPart", "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.")
                        .With("UploadId", uploadId)
                        .With("PartNumber", number.ToString(CultureInfo.InvariantCulture))
                        .With("ETag", etag);
                }

                if (i < requested.Count - 1 && part.Size < MinimumPartSize)
                {
                    throw new AwsServiceException(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.")
                        .With("ProposedSize", part.Size.ToString(CultureInfo.InvariantCulture))
                        .With("MinSizeAllowed", MinimumPartSize.ToString(CultureInfo.InvariantCulture))
                        .With("PartNumber", number.ToString(CultureInfo.InvariantCulture))
                        .With("ETag", etag);
                }

                parts.Add(part);
            }
        }

        // Concatenate outside the gate; the part blobs stay until the upload is removed below.
        var temp = store.NewTempPath();
        long size = 0;
        using var md5s = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            foreach (var part in parts)
            {
                await using var input = new FileStream(store.BlobPath(part.BlobName), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
                await input.CopyToAsync(output, cancellationToken);
                size += part.Size;
                md5s.AppendData(Convert.FromHexString(part.ETag.Trim('"')));
            }
        }

        var etagValue = $"\"{Convert.ToHexStringLower(md5s.GetHashAndReset())}-{parts.Count}\"";
        var record = new ObjectRecord
        {
            Key = key,
            BlobName = "",
            Size = size,
            ETag = etagValue,
            LastModified = time.GetUtcNow(),
            ContentType = upload.ContentType,
            CannedAcl = upload.CannedAcl,
            ServerSideEncryption = upload.ServerSideEncryption,
            SseKmsKeyId = upload.SseKmsKeyId,
            OwnerAccountId = upload.OwnerAccountId,
            PartSizes = [.. parts.Select(p => p.Size)],
            Metadata = upload.Metadata,
        };
        using (store.Transaction())
        {
            var bucket = S3BucketAccess.Require(store, context, caller, bucketName);
            if (!bucket.Uploads.Remove(uploadId, out var finished))
            {
                File.Delete(temp);
                throw S3Errors.NoSuchUpload(uploadId);
            }

            foreach (var part in finished.Parts.Values)
            {
                store.DeleteBlob(part.BlobName);
            }

            store.Save();
        }

        objects.Commit(context, caller, bucketName, record, temp);
        var result = new XElement(
            Ns + "CompleteMultipartUploadResult",
            new XElement(Ns + "Location", $"{context.Request.Scheme}://{context.Request.Host}/{bucketName}/{Uri.EscapeDataString(key)}"),
            new XElement(Ns + "Bucket", bucketName),
            new XElement(Ns + "Key", key),
            new XElement(Ns + "ETag", etagValue));
        ServerSideEncryption.WriteHeaders(context.Response, record.ServerSideEncryption, record.SseKmsKeyId);
        await XmlResponse.WriteAsync(context, result, 200, cancellationToken);
    }

    public Task AbortAsync(HttpContext context, CallerContext caller, string bucketName, string key)
    {
        var uploadId = context.Request.Query["uploadId"].ToString();
        using (store.Transaction())
        {
            var bucket = S3BucketAccess.Require(store, context, caller, bucketName);
            RequireUpload(bucket, uploadId, key);
            bucket.Uploads.Remove(uploadId, out var upload);
            foreach (var part in upload!.Parts.Values)
            {
                store.DeleteBlob(part.BlobName);
            }

            store.Save();
        }

        context.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    public Task ListPartsAsync(HttpContext context, CallerContext caller, string bucketName, string key, CancellationToken cancellationToken)
    {
        var uploadId = context.Request.Query["uploadId"].ToString();
        var markerText = context.Request.Query["part-number-marker"].ToString();
        var marker = markerText.Length == 0 ? 0 : int.TryParse(markerText, NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : throw S3Errors.InvalidArgument("Provided part-number-marker not an integer or within integer range", "part-number-marker", markerText);
        var maxText = context.Request.Query["max-parts"].ToString();
        var maxParts = maxText.Length == 0 ? 1000 : int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out var mp) ? Math.Min(mp, 1000) : throw S3Errors.InvalidArgument("Provided max-parts not an integer or within integer range", "max-parts", maxText);
        List<PartRecord> parts;
        bool truncated;
        MultipartUploadRecord upload;
        using (store.Transaction())
        {
            upload = RequireUpload(S3BucketAccess.Require(store, context, caller, bucketName), uploadId, key);
            var after = upload.Parts.Values.Where(p => p.PartNumber > marker).ToList();
            parts = [.. after.Take(maxParts)];
            truncated = after.Count > maxParts;
        }

        var root = new XElement(
            Ns + "ListPartsResult",
            new XElement(Ns + "Bucket", bucketName),
            new XElement(Ns + "Key", key),
            new XElement(Ns + "UploadId", uploadId),
            S3Xml.Owner(upload.OwnerAccountId, "Initiator"),
            S3Xml.Owner(upload.OwnerAccountId),
            new XElement(Ns + "StorageClass", "STANDARD"),
            new XElement(Ns + "PartNumberMarker", marker),
            new XElement(Ns + "NextPartNumberMarker", parts.Count > 0 ? parts[^1].PartNumber : 0),
            new XElement(Ns + "MaxParts", maxParts),
            new XElement(Ns + "IsTruncated", truncated ? "true" : "false"),
            parts.Select(p => new XElement(
                Ns + "Part",
                new XElement(Ns + "PartNumber", p.PartNumber),
                new XElement(Ns + "LastModified", AwsTime.Iso(p.LastModified)),
                new XElement(Ns + "ETag", p.ETag),
                new XElement(Ns + "Size", p.Size))));
        return XmlResponse.WriteAsync(context, root, 200, cancellationToken);
    }

    public Task ListUploadsAsync(HttpContext context, CallerContext caller, string bucketName, CancellationToken cancellationToken)
    {
        List<MultipartUploadRecord> uploads;
        var prefix = context.Request.Query["prefix"].ToString();
        using (store.Transaction())
        {
            uploads = [.. S3BucketAccess.Require(store, context, caller, bucketName).Uploads.Values
                .Where(u => u.Key.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(u => u.Key, StringComparer.Ordinal)];
        }

        var root = new XElement(
            Ns + "ListMultipartUploadsResult",
            new XElement(Ns + "Bucket", bucketName),
            new XElement(Ns + "KeyMarker", ""),
            new XElement(Ns + "UploadIdMarker", ""),
            new XElement(Ns + "Prefix", prefix),
            new XElement(Ns + "MaxUploads", 1000),
            new XElement(Ns + "IsTruncated", "false"),
            uploads.Select(u => new XElement(
                Ns + "Upload",
                new XElement(Ns + "Key", u.Key),
                new XElement(Ns + "UploadId", u.UploadId),
                S3Xml.Owner(u.OwnerAccountId, "Initiator"),
                S3Xml.Owner(u.OwnerAccountId),
                new XElement(Ns + "StorageClass", "STANDARD"),
                new XElement(Ns + "Initiated", AwsTime.Iso(u.InitiatedAt)))));
        return XmlResponse.WriteAsync(context, root, 200, cancellationToken);
    }

    private static MultipartUploadRecord RequireUpload(BucketRecord bucket, string uploadId, string key)
    {
        if (!bucket.Uploads.TryGetValue(uploadId, out var upload) || upload.Key != key)
        {
            throw S3Errors.NoSuchUpload(uploadId);
        }

        return upload;
    }
}
