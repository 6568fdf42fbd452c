using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ImagePipeline.LocalCloud.S3;

/// <summary>A path-style S3 request: <c>/bucket/key</c>, decoded from the raw target so %2F in keys survives.</summary>
internal sealed record S3Request(string? Bucket, string? Key, IQueryCollection Query, string Method)
{
    public static S3Request Parse(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var queryStart = raw.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart >= 0 ? raw[..queryStart] : raw;
        path = path.TrimStart('/');
        string? bucket = null;
        string? key = null;
        if (path.Length > 0)
        {
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            bucket = Uri.UnescapeDataString(slash >= 0 ? path[..slash] : path);
            if (slash >= 0 && slash < path.Length - 1)
            {
                key = Uri.UnescapeDataString(path[(slash + 1)..]);
            }
        }

        return new S3Request(bucket, key, context.Request.Query, context.Request.Method.ToUpperInvariant());
    }

    public bool Has(string subresource) => Query.ContainsKey(subresource);

    /// <summary>True when the query names a subresource; a presigned URL's X-Amz-* signing parameters do not count.</summary>
    private bool HasSubresource => Query.Keys.Any(name => !name.StartsWith("X-Amz-", StringComparison.Ordinal));

    /// <summary>The S3 operation name as the SDK calls it.</summary>
    public string Operation => (Bucket, Key, Method) switch
    {
        (null, _, "GET") => "ListBuckets",
        (not null, null, "PUT") when Has("publicAccessBlock") => "PutPublicAccessBlock",
        (not null, null, "PUT") when Has("encryption") => "PutBucketEncryption",
        (not null, null, "PUT") when Has("ownershipControls") => "PutBucketOwnershipControls",
        (not null, null, "PUT") when !HasSubresource => "PutBucket",
        (not null, null, "HEAD") => "HeadBucket",
        (not null, null, "GET") when Has("location") => "GetBucketLocation",
        (not null, null, "GET") when Has("publicAccessBlock") => "GetPublicAccessBlock",
        (not null, null, "GET") when Has("encryption") => "GetBucketEncryption",
        (not null, null, "GET") when Has("ownershipControls") => "GetBucketOwnershipControls",
        (not null, null, "GET") when Has("uploads") => "ListMultipartUploads",
        (not null, null, "GET") when Query["list-type"] == "2" => "ListObjectsV2",
        (not null, null, "GET") when !Query.Keys.Any(k => k is "acl" or "policy" or "versions" or "tagging" or "lifecycle" or "cors" or "website" or "logging" or "versioning" or "replication" or "notification") => "ListObjects",
        (not null, null, "DELETE") when Has("publicAccessBlock") => "DeletePublicAccessBlock",
        (not null, null, "DELETE") when Has("encryption") => "DeleteBucketEncryption",
        (not null, null, "DELETE") when !HasSubresource => "DeleteBucket",
        (not null, null, "POST") when Has("delete") => "DeleteObjects",
        (not null, not null, "PUT") when Has("uploadId") && Has("partNumber") => "UploadPart",
        (not null, not null, "PUT") when Has("acl") => "PutObjectAcl",
        (not null, not null, "PUT") when !HasSubresource => "PutObject",
        (not null, not null, "GET") when Has("acl") => "GetObjectAcl",
        (not null, not null, "GET") when Has("uploadId") => "ListParts",
        (not null, not null, "GET") when !Query.Keys.Any(k => k is "tagging" or "torrent" or "retention" or "legal-hold" or "attributes") => "GetObject",
        (not null, not null, "HEAD") => "HeadObject",
        (not null, not null, "DELETE") when Has("uploadId") => "AbortMultipartUpload",
        (not null, not null, "DELETE") when !Has("tagging") => "DeleteObject",
        (not null, not null, "POST") when Has("uploads") => "CreateMultipartUpload",
        (not null, not null, "POST") when Has("uploadId") => "CompleteMultipartUpload",
        _ => "Unsupported",
    };
}
