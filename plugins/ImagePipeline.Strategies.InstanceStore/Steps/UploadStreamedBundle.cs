using ImagePipeline.Strategies.InstanceStore.Buckets;
using ImagePipeline.Strategies.InstanceStore.State;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using ImagePipeline.Strategies.InstanceStore.Certificates;
using ImagePipeline.Strategies.InstanceStore.Bundles;
using System.Globalization;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Ssh;
using ImagePipeline.Strategies.InstanceStore.Uploads;

namespace ImagePipeline.Strategies.InstanceStore.Steps;

/// <summary>
/// UploadBundle after --bundler builtin: the parts went up while BundleVolume wrote them; this sends any that are not
/// in the bucket whole (a resumed run, a part announced as the uploads stopped), from the instance as BundleVolume
/// did, then the manifest signed here, last, so that a manifest in the bucket always means a complete bundle. What
/// this run uploaded is deleted when the run is undone before an image was registered from it.
/// </summary>
public sealed class UploadStreamedBundle(ICloudClients clients, IRemoteShell shell, TimeProvider timeProvider) : IPipelineStep
{
    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var built = context.State.Get(InstanceStoreState.InstanceBundle);
        var bucket = parameters.Get(InstanceStoreParameters.Bucket);
        var prefix = BundlePrefixes.Of(context);
        var s3 = clients.S3ForTransfers();
        var retry = new TransientFailureRetry(timeProvider, context.Logger) { MaxAttempts = parameters.Get(InstanceStoreParameters.UploadAttempts) };
        var attemptedEarlier = context.State.GetOrDefault(InstanceStoreState.UploadedKeys, []).ToHashSet(StringComparer.Ordinal);
        using var uploader = new BundleObjectUploader(s3, bucket, retry, context, attemptedEarlier);

        var missing = built.Bundle.Parts.Where(part => !attemptedEarlier.Contains($"{prefix}/{part.FileName}")).ToList();
        using (var scope = context.Progress.Start($"Checking and uploading the parts to s3://{bucket}/{prefix}/", built.Bundle.BundledSize))
        {
            // Parts uploaded while bundling are checked (HEAD: ours, whole) rather than trusted; the others are sent.
            await using var connection = await shell.ConnectAsync(InstanceSource.Ssh(context), context.Logger, cancellationToken);
            var staging = new VolumeBundlerStaging(context.State.GetOrDefault(InstanceStoreState.RemoteCertificateDirectory, parameters.Get(InstanceStoreParameters.X509UploadPath)));
            var sender = new InstancePartSender(uploader, connection, s3, parameters.Get(InstanceStoreParameters.UploadFrom), staging, context.RunId, timeProvider);
            await Parallel.ForEachAsync(
                built.Bundle.Parts,
                new ParallelOptions { MaxDegreeOfParallelism = parameters.Get(InstanceStoreParameters.UploadConcurrency), CancellationToken = cancellationToken },
                async (part, token) =>
                {
                    await sender.UploadAsync(part, $"{prefix}/{part.FileName}", token);
                    scope.Advance(part.Size);
                });
        }

        // Last, and only once every part is there: EC2 takes a manifest as the promise that the bundle is complete.
        var manifestKey = $"{prefix}/{Path.GetFileName(built.ManifestPath)}";
        await uploader.UploadFileAsync(built.ManifestPath, manifestKey, cancellationToken);

        var location = $"{bucket}/{manifestKey}";
        context.State.Set(InstanceStoreState.ManifestLocation, location);
        context.Outputs.Set(WellKnownOutputs.ManifestLocation, location);
        context.Outputs.Set(WellKnownOutputs.Bucket, bucket);
        context.Logger.StreamedBundleUploaded(location, uploader.Sent - 1, uploader.AlreadyPresent);
        var overlap = context.State.GetOrDefault(InstanceStoreState.UploadOverlapSeconds, 0);
        context.Note = BundleSizes.Describe(built.Bundle.Parts.Count, built.Bundle.BundledSize)
            + string.Create(CultureInfo.InvariantCulture, $"; {built.Bundle.Parts.Count - missing.Count} sent during BundleVolume")
            + (overlap > 0 ? string.Create(CultureInfo.InvariantCulture, $" (overlapping the bundling by {overlap:0.0} s)") : string.Empty)
            + $", {uploader.Sent - 1} now";
    }

    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken) =>
        (await UploadedBundleCleanup.RunAsync(context, clients, cancellationToken)).Outcome;
}
