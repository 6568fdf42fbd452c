using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Buckets;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using ImagePipeline.Strategies.InstanceStore.State;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Strategies.InstanceStore.Steps;

/// <summary>
/// PrepareBucket: makes sure the bundle bucket exists in the run's region and belongs to the caller. An existing bucket
/// is checked before anything runs; a missing one is created private and encrypted, and deleted again when the run is
/// undone, provided it is empty.
/// </summary>
public sealed class EnsureBundleBucket(ICloudClients clients, TimeProvider timeProvider) : IPipelineStep
{
    public async ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        if (!context.Require(InstanceStoreParameters.Bucket, "to hold the bundle"))
        {
            return;
        }

        var bucket = context.Parameters.Get(InstanceStoreParameters.Bucket);
        if (BucketNameRules.Validate(bucket) is { } problem)
        {
            context.AddError(problem);
            return;
        }

        if (await CheckExistingBucketAsync(bucket, cancellationToken) is { } refusal)
        {
            context.AddError(refusal);
            return;
        }

        // A resumed run's prefix holds its own objects (told apart by their run id); a new run never writes into another's bundle.
        if (context.Parameters.GetOrDefault(InstanceStoreParameters.BundlePrefix) is { } prefix
            && context.ResumedState?.Contains(InstanceStoreState.BundlePrefix) != true
            && !context.Parameters.Get(CommonParameters.ForceDeregister)
            && await BundlePrefixes.FirstObjectUnderAsync(clients.S3(), bucket, prefix, cancellationToken) is { } taken)
        {
            context.AddError(
                $"{InstanceStoreParameters.BundlePrefix} '{prefix}' is taken: s3://{bucket}/{taken} already exists, and a run never writes over a bundle it did not make; pick another {InstanceStoreParameters.BundlePrefix} (or leave it out for a unique one), or pass --force-deregister to replace that image (the old bundle is removed only after the new image is registered).");
        }
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var prefix = await BundlePrefixes.EstablishAsync(context, clients.S3(), timeProvider, cancellationToken);
        var bucket = context.Parameters.Get(InstanceStoreParameters.Bucket);
        var region = clients.Region;
        context.Outputs.Set(WellKnownOutputs.Bucket, bucket);
        context.Outputs.Set(WellKnownOutputs.Region, region);

        if (await BucketExistsAsync(bucket, cancellationToken))
        {
            // The state may name this bucket from an earlier, interrupted attempt of this run: it is still ours to undo,
            // and that attempt may have stopped before locking it down.
            if (context.State.Contains(InstanceStoreState.CreatedBucket))
            {
                await LockDownAsync(bucket, context.Logger, cancellationToken);
            }

            context.Note = context.State.Contains(InstanceStoreState.CreatedBucket) ? $"{bucket} (created by this run)" : $"{bucket} (existing)";
            context.Logger.UsingBucket(bucket, region, prefix);
            return;
        }

        var s3 = clients.S3();
        try
        {
            await s3.PutBucketAsync(
                new PutBucketRequest
                {
                    BucketName = bucket,
                    // us-east-1 is the one region that takes no LocationConstraint.
                    UseClientRegion = false,
                    BucketRegionName = region == "us-east-1" ? null : region,
                    // EC2 reads bundles through object ACLs (aws-exec-read, ec2-bundle-read), which S3's default of
                    // BucketOwnerEnforced refuses; the bucket owner still owns every object.
                    ObjectOwnership = ObjectOwnership.BucketOwnerPreferred,
                },
                cancellationToken);
        }
        catch (AmazonS3Exception exception) when (exception.ErrorCode == "BucketAlreadyOwnedByYou")
        {
            context.Note = $"{bucket} (existing)";
            return;
        }
        catch (AmazonS3Exception exception) when (exception.ErrorCode == "BucketAlreadyExists")
        {
            throw PipelineException.Input($"The bucket name '{bucket}' is taken by another AWS account; pick another --bucket.", exception);
        }

        // Remember the bucket at once: if the run dies before the next save, a cleanup or --resume still knows it is ours.
        context.State.Set(InstanceStoreState.CreatedBucket, bucket);
        await context.CheckpointAsync(cancellationToken);
        context.Logger.BucketCreated(bucket, region);

        await LockDownAsync(bucket, context.Logger, cancellationToken);
        context.Note = $"{bucket} (created in {region})";
    }

    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (!context.State.TryGet(InstanceStoreState.CreatedBucket, out var bucket))
        {
            return CleanupOutcome.NothingToUndo;
        }

        if (!context.ShouldUndo)
        {
            return CleanupOutcome.Kept;
        }

        var s3 = clients.S3();
        try
        {
            var listing = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, MaxKeys = 1 }, cancellationToken);
            if (listing.S3Objects is { Count: > 0 })
            {
                // Someone (or a step that keeps its work) put objects there: deleting them is not this step's call.
                context.Logger.BucketKeptNotEmpty(bucket);
                return CleanupOutcome.Kept;
            }

            await s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = bucket }, cancellationToken);
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone: nothing of ours is left.
        }

        context.State.Remove(InstanceStoreState.CreatedBucket);
        context.Logger.BucketDeleted(bucket);
        return CleanupOutcome.Undone;
    }

    /// <summary>Blocks all public access and turns on AES256 default encryption (both idempotent).</summary>
    private async Task LockDownAsync(string bucket, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await PutLockDownAsync(bucket, cancellationToken);
        }
        catch (AmazonS3Exception exception) when (exception.ErrorCode == "NotImplemented" && clients.UsesCustomEndpoint)
        {
            // AWS always has both settings; an S3-compatible server behind --endpoint-url may have neither, and the bucket
            // is then as private as that server makes it.
            logger.BucketLockDownUnsupported(bucket);
        }
    }

    private async Task PutLockDownAsync(string bucket, CancellationToken cancellationToken)
    {
        await clients.S3().PutPublicAccessBlockAsync(
            new PutPublicAccessBlockRequest
            {
                BucketName = bucket,
                PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration
                {
                    BlockPublicAcls = true,
                    IgnorePublicAcls = true,
                    BlockPublicPolicy = true,
                    RestrictPublicBuckets = true,
                },
            },
            cancellationToken);
        await clients.S3().PutBucketEncryptionAsync(
            new PutBucketEncryptionRequest
            {
                BucketName = bucket,
                ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
                {
                    ServerSideEncryptionRules =
                    [
                        new ServerSideEncryptionRule
                        {
                            ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault { ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.AES256 },
                        },
                    ],
                },
            },
            cancellationToken);
    }

    /// <summary>Read-only checks of a bucket that exists: it must be in the run's region and owned by the caller. Returns the refusal, or null.</summary>
    private async Task<string?> CheckExistingBucketAsync(string bucket, CancellationToken cancellationToken)
    {
        var s3 = clients.S3();
        var region = clients.Region;
        string location;
        try
        {
            var response = await s3.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = bucket }, cancellationToken);
            location = BucketRegions.FromLocationConstraint(response.Location?.Value);
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound || exception.ErrorCode == "NoSuchBucket")
        {
            return null;
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.Forbidden)
        {
            return OtherOwner(bucket);
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode is HttpStatusCode.MovedPermanently || exception.ErrorCode == "PermanentRedirect")
        {
            return $"The bucket '{bucket}' is in another region than the run's ({region}), and EC2 reads a bundle only from its bucket's region; pass that bucket's --region, or another --bucket.";
        }

        if (!string.Equals(location, region, StringComparison.Ordinal))
        {
            return $"The bucket '{bucket}' is in {location} but the run builds in {region}, and EC2 reads a bundle only from its bucket's region; pass --region {location}, or another --bucket.";
        }

        var identity = await clients.GetCallerIdentityAsync(cancellationToken);
        try
        {
            await s3.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket, ExpectedBucketOwner = identity.AccountId }, cancellationToken);
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.Forbidden)
        {
            return OtherOwner(bucket);
        }

        try
        {
            var ownership = await s3.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = bucket }, cancellationToken);
            if (ownership.OwnershipControls?.Rules?.Any(rule => rule.ObjectOwnership == ObjectOwnership.BucketOwnerEnforced) == true)
            {
                return $"The bucket '{bucket}' has object ACLs disabled (BucketOwnerEnforced), but EC2 reads bundle parts through their aws-exec-read ACL; "
                    + "set its object ownership to BucketOwnerPreferred (aws s3api put-bucket-ownership-controls), or pass a new --bucket to have one created.";
            }
        }
        catch (AmazonS3Exception exception) when (exception.ErrorCode == "OwnershipControlsNotFoundError")
        {
            // A bucket from before ownership controls: ACLs work.
        }

        return null;
    }

    private static string OtherOwner(string bucket) =>
        $"The bucket '{bucket}' belongs to another AWS account (or you may not use it); pass a --bucket your account owns, or a new name to have it created.";

    private async Task<bool> BucketExistsAsync(string bucket, CancellationToken cancellationToken)
    {
        var identity = await clients.GetCallerIdentityAsync(cancellationToken);
        try
        {
            await clients.S3().HeadBucketAsync(new HeadBucketRequest { BucketName = bucket, ExpectedBucketOwner = identity.AccountId }, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.Forbidden)
        {
            throw PipelineException.Input(OtherOwner(bucket), exception);
        }
    }
}
