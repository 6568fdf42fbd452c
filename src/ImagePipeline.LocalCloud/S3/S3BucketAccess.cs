using ImagePipeline.LocalCloud.Routing;
using ImagePipeline.LocalCloud.Storage;
using Microsoft.AspNetCore.Http;

namespace ImagePipeline.LocalCloud.S3;

/// <summary>
/// The checks S3 makes before touching a bucket, in S3's order: it exists (NoSuchBucket), the request was signed for
/// its region (301 PermanentRedirect), the caller owns it (AccessDenied) and x-amz-expected-bucket-owner matches.
/// Call under the state gate.
/// </summary>
internal static class S3BucketAccess
{
    public static BucketRecord Require(StateStore store, HttpContext context, CallerContext caller, string bucketName, bool checkRegion = true)
    {
        if (!store.State.Buckets.TryGetValue(bucketName, out var bucket))
        {
            throw S3Errors.NoSuchBucket(bucketName);
        }

        if (checkRegion && !string.Equals(bucket.Region, caller.Region, StringComparison.Ordinal))
        {
            throw S3Errors.PermanentRedirect(bucketName, bucket.Region);
        }

        if (bucket.OwnerAccountId != caller.AccountId)
        {
            throw S3Errors.AccessDenied();
        }

        var expectedOwner = context.Request.Headers["x-amz-expected-bucket-owner"].ToString();
        if (expectedOwner.Length > 0 && expectedOwner != bucket.OwnerAccountId)
        {
            throw S3Errors.AccessDenied();
        }

        return bucket;
    }
}
