using Amazon.S3;
using Amazon.S3.Model;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Strategies.InstanceStore;

/// <summary>Deletes objects a run put in S3, a thousand at a time (DeleteObjects' limit).</summary>
public static class UploadedObjects
{
    public static async Task DeleteAsync(IAmazonS3 s3, string bucket, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        foreach (var batch in keys.Chunk(1000))
        {
            var response = await s3.DeleteObjectsAsync(
                new DeleteObjectsRequest
                {
                    BucketName = bucket,
                    Quiet = true,
                    Objects = batch.Select(key => new KeyVersion { Key = key }).ToList(),
                },
                cancellationToken);
            if (response.DeleteErrors is { Count: > 0 } errors)
            {
                throw new PipelineException(
                    $"Could not delete {errors.Count} objects of this run from s3://{bucket}/ (first: {errors[0].Key}: {errors[0].Code}); delete them by hand.");
            }
        }
    }
}
