using Amazon.S3;
using Amazon.S3.Model;
using ImagePipeline.Abstractions;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Strategies.InstanceStore.Uploads;

/// <summary>
/// Deletes objects a run put in S3, and only those: each key is checked with HEAD first (<see cref="RunObjectOwnership"/>),
/// and an object that carries another run's id, or none, is left where it is with a log line. Deletes go a thousand at
/// a time (DeleteObjects' limit).
/// </summary>
public static class UploadedObjects
{
    /// <summary>Deletes the keys this run can prove it made; returns how many were deleted.</summary>
    /// <param name="unmarkedAreOurs">
    /// True when objects without a run id are this run's too: objects another program wrote for it (ec2-upload-bundle on
    /// the instance, EC2's BundleInstance) under a prefix this run checked was free before it started them.
    /// </param>
    public static async Task<int> DeleteOwnAsync(
        IAmazonS3 s3, string bucket, IReadOnlyCollection<string> keys, string runId, bool unmarkedAreOurs, ILogger logger, CancellationToken cancellationToken)
    {
        var own = new List<string>();
        foreach (var key in keys)
        {
            var owner = await RunObjectOwnership.OwnerOfAsync(s3, bucket, key, cancellationToken);
            if (owner is null)
            {
                continue;
            }

            if (owner.RunId == runId || (owner.RunId is null && unmarkedAreOurs))
            {
                own.Add(key);
            }
            else
            {
                logger.ObjectLeftInPlace(bucket, key, owner.RunId ?? "none");
            }
        }

        await DeleteAsync(s3, bucket, own, cancellationToken);
        return own.Count;
    }

    /// <summary>Deletes keys without asking who made them: only for what the user asked to replace (--force-deregister).</summary>
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
