using System.Net;
using Amazon.Runtime;

namespace ImagePipeline.Strategies.InstanceStore.Uploads;

/// <summary>
/// Whether a part's upload failed in a way no later attempt fixes: S3 refused access (403: AccessDenied, a key or a
/// signature it does not accept) or the bucket is gone (NoSuchBucket). Bundling on would only make parts that cannot be
/// uploaded; any other failure (throttling, a 5xx, a dropped connection) leaves the part to UploadBundle.
/// </summary>
public static class PermanentUploadFailure
{
    public static bool Is(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is AmazonServiceException { StatusCode: HttpStatusCode.Forbidden } or AmazonServiceException { ErrorCode: "NoSuchBucket" })
            {
                return true;
            }
        }

        return false;
    }
}
