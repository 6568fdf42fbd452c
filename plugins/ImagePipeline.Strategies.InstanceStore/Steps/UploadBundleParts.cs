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
        using var uploader = new BundleObjectUploader(clients.S3ForTransfers(), bucket, retry, context, attemptedEarlier);

        var manifestSize = new FileInfo(bundle.ManifestPath).Length;
        using var scope = context.Progress.Start($"Uploading the bundle to s3://{bucket}/{prefix}/", bundle.BundledSize + manifestSize);
        await Parallel.ForEachAsync(
            bundle.Parts,
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (part, token) =>
            {
                await uploader.UploadFileAsync(part.Path, $"{prefix}/{part.FileName}", token);
                scope.Advance(part.Size);
            });

        // Last, and only once every part is there: EC2 takes a manifest as the promise that the bundle is complete.
        var manifestKey = $"{prefix}/{bundle.ManifestFileName}";
        await uploader.UploadFileAsync(bundle.ManifestPath, manifestKey, cancellationToken);
        scope.Advance(manifestSize);

        var location = $"{bucket}/{manifestKey}";
        context.State.Set(InstanceStoreState.ManifestLocation, location);
        context.Outputs.Set(WellKnownOutputs.ManifestLocation, location);
        context.Outputs.Set(WellKnownOutputs.Bucket, bucket);
        context.Logger.BundleUploaded(uploader.Sent, uploader.AlreadyPresent, location);
        context.Note = BundleSizes.Describe(bundle.Parts.Count, bundle.BundledSize)
            + (uploader.AlreadyPresent > 0 ? $" ({uploader.AlreadyPresent} files were already uploaded)" : string.Empty)
            + (context.State.TryGet(InstanceStoreState.UploadOverlapSeconds, out var overlap)
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"; uploading overlapped BundleVolume by {overlap:0.0} s")
                : string.Empty);
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

}
