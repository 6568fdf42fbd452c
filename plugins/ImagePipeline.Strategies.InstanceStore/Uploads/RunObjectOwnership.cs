using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace ImagePipeline.Strategies.InstanceStore.Uploads;

/// <summary>
/// How a run proves an S3 object is its own: every object it puts carries its run id in user metadata
/// (<c>x-amz-meta-imagepipeline-run-id</c>), read back with HEAD before the object is overwritten or deleted.
/// </summary>
public static class RunObjectOwnership
{
    /// <summary>The user-metadata name (S3 sends it as <c>x-amz-meta-imagepipeline-run-id</c>).</summary>
    public const string MetadataName = "imagepipeline-run-id";

    /// <summary>Puts the run id on an upload.</summary>
    public static void Mark(PutObjectRequest request, string runId) => request.Metadata.Add(MetadataName, runId);

    /// <summary>Who made the object: null when there is no such object; <see cref="ObjectOwner.RunId"/> null when it carries no run id.</summary>
    public static async Task<ObjectOwner?> OwnerOfAsync(IAmazonS3 s3, string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, cancellationToken);
            var runId = head.Metadata.Keys.Contains("x-amz-meta-" + MetadataName) ? head.Metadata["x-amz-meta-" + MetadataName] : null;
            return new ObjectOwner(runId, head.ETag);
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}

/// <summary>What HEAD says about an existing object: the run that made it (null when unmarked) and its ETag.</summary>
public sealed record ObjectOwner(string? RunId, string ETag);
