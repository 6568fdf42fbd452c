using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Bundles;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using ImagePipeline.Strategies.InstanceStore.State;
using ImagePipeline.Strategies.InstanceStore.Uploads;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Strategies.InstanceStore.Steps;

/// <summary>
/// UploadBundle from this host: the parts in parallel, each with Content-MD5 and the aws-exec-read ACL EC2 needs, then
/// the manifest last, so that a manifest in the bucket always means a complete bundle. Parts already in the bucket with
/// the right MD5 (from an interrupted attempt) are not sent again. What this run uploaded is deleted when the run is
/// undone before an image was registered from it.
/// </summary>
public sealed class UploadBundleParts(ICloudClients clients, TimeProvider timeProvider) : IPipelineStep
{
    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var bundle = context.State.Get(InstanceStoreState.Bundle);
        var bucket = context.Parameters.Get(InstanceStoreParameters.Bucket);
        var prefix = BundlePrefixes.Of(context);
        var concurrency = context.Parameters.Get(InstanceStoreParameters.UploadConcurrency);
        var retry = new TransientFailureRetry(timeProvider, context.Logger) { MaxAttempts = context.Parameters.Get(InstanceStoreParameters.UploadAttempts) };
        // Only a key an earlier attempt of this run started can already be there; asking S3 about the others is a wasted
        // request per part on every first upload.
        var attemptedEarlier = context.State.GetOrDefault(InstanceStoreState.UploadedKeys, []).ToHashSet(StringComparer.Ordinal);
        // The transfer client: its calls are retried here, part by part (--upload-attempts), and not also by the SDK.
        using var uploader = new Uploader(clients.S3ForTransfers(), bucket, retry, context, attemptedEarlier);

        var manifestSize = new FileInfo(bundle.ManifestPath).Length;
        using var scope = context.Progress.Start($"Uploading the bundle to s3://{bucket}/{prefix}/", bundle.BundledSize + manifestSize);
        await Parallel.ForEachAsync(
            bundle.Parts,
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (part, token) =>
            {
                await uploader.UploadAsync(part.Path, $"{prefix}/{part.FileName}", token);
                scope.Advance(part.Size);
            });

        // Last, and only once every part is there: EC2 takes a manifest as the promise that the bundle is complete.
        var manifestKey = $"{prefix}/{bundle.ManifestFileName}";
        await uploader.UploadAsync(bundle.ManifestPath, manifestKey, cancellationToken);
        scope.Advance(manifestSize);

        var location = $"{bucket}/{manifestKey}";
        context.State.Set(InstanceStoreState.ManifestLocation, location);
        context.Outputs.Set(WellKnownOutputs.ManifestLocation, location);
        context.Outputs.Set(WellKnownOutputs.Bucket, bucket);
        context.Logger.BundleUploaded(uploader.Sent, uploader.AlreadyPresent, location);
        context.Note = BundleSizes.Describe(bundle.Parts.Count, bundle.BundledSize)
            + (uploader.AlreadyPresent > 0 ? $" ({uploader.AlreadyPresent} files were already uploaded)" : string.Empty);
    }

    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        var (outcome, deleted) = await UploadedBundleCleanup.RunAsync(context, clients, cancellationToken);
        if (outcome == CleanupOutcome.Undone)
        {
            context.Logger.UploadedObjectsDeleted(deleted);
        }

        return outcome;
    }

    /// <summary>Sends one file at a time on behalf of the step, and keeps the run state's list of uploaded keys.</summary>
    private sealed class Uploader(IAmazonS3 s3, string bucket, TransientFailureRetry retry, StepContext context, IReadOnlySet<string> attemptedEarlier) : IDisposable
    {
        private readonly SemaphoreSlim _stateGate = new(1, 1);
        private int _sent;
        private int _alreadyPresent;

        public int Sent => _sent;

        public int AlreadyPresent => _alreadyPresent;

        public void Dispose() => _stateGate.Dispose();

        public async Task UploadAsync(string path, string key, CancellationToken cancellationToken)
        {
            var digest = await PartDigest.OfFileAsync(path, cancellationToken);
            var overwriteOwn = false;
            if (attemptedEarlier.Contains(key))
            {
                var owner = await retry.ExecuteAsync($"Checking {key}", token => RunObjectOwnership.OwnerOfAsync(s3, bucket, key, token), cancellationToken);
                if (owner is not null && owner.RunId != context.RunId)
                {
                    throw NotOurs(key, owner);
                }

                if (owner is not null && digest.MatchesETag(owner.ETag))
                {
                    Interlocked.Increment(ref _alreadyPresent);
                    return;
                }

                overwriteOwn = owner is not null;
            }

            // Recorded (and saved) before the PUT: an object that reaches S3 is always one the cleanup knows about.
            await RecordAsync(key, cancellationToken);
            try
            {
                await retry.ExecuteAsync($"Uploading {key}", token => s3.PutObjectAsync(Request(path, key, digest, overwriteOwn), token), cancellationToken);
            }
            catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                // Someone else's object is there; or ours, when an earlier try of this PUT landed and only its answer was lost.
                var owner = await retry.ExecuteAsync($"Checking {key}", token => RunObjectOwnership.OwnerOfAsync(s3, bucket, key, token), cancellationToken);
                if (owner is null || owner.RunId != context.RunId || !digest.MatchesETag(owner.ETag))
                {
                    throw NotOurs(key, owner);
                }
            }

            Interlocked.Increment(ref _sent);
        }

        /// <summary>
        /// The PUT: the run id in its metadata, and If-None-Match: * so that S3 itself refuses to write over an object
        /// that appeared meanwhile (only an object of this run, checked just before, is replaced).
        /// </summary>
        private PutObjectRequest Request(string path, string key, PartDigest digest, bool overwriteOwn)
        {
            var request = new PutObjectRequest
            {
                BucketName = bucket,
                Key = key,
                InputStream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous),
                AutoCloseStream = true,
                // Sign the whole payload rather than aws-chunked frames: some S3-compatible servers (s3rver among
                // them) store chunked bodies verbatim, while a whole-payload hash works everywhere, AWS included.
                UseChunkEncoding = false,
                MD5Digest = digest.Base64,
                CannedACL = S3CannedACL.AWSExecRead,
                ContentType = key.EndsWith(".xml", StringComparison.Ordinal) ? "application/xml" : "application/octet-stream",
            };
            RunObjectOwnership.Mark(request, context.RunId);
            if (!overwriteOwn)
            {
                request.IfNoneMatch = "*";
            }

            return request;
        }

        private PipelineException NotOurs(string key, ObjectOwner? owner) => new(
            $"s3://{bucket}/{key} already exists and was not made by this run ({(owner?.RunId is { } other ? $"run {other}" : "no run id")}); nothing was written over it. Start a new run with another --bundle-prefix.");

        private async Task RecordAsync(string key, CancellationToken cancellationToken)
        {
            await _stateGate.WaitAsync(cancellationToken);
            try
            {
                var keys = context.State.GetOrDefault(InstanceStoreState.UploadedKeys, []);
                if (!keys.Contains(key, StringComparer.Ordinal))
                {
                    context.State.Set(InstanceStoreState.UploadedKeys, [.. keys, key]);
                    await context.CheckpointAsync(cancellationToken);
                }
            }
            finally
            {
                _stateGate.Release();
            }
        }
    }
}
