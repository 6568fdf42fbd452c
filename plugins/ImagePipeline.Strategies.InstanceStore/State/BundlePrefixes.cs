using System.Globalization;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Strategies.InstanceStore.State;

/// <summary>
/// Fixes the run's bundle prefix once and reads it back. The default, <c>image-</c>, the UTC time and the run id's
/// random part, is unique per run: two runs in the same second never share a bundle. A given --bundle-prefix that
/// already holds objects is refused in validation, unless --force-deregister asks to replace it: the new bundle then
/// goes next to it (the prefix and the run id's random part) and the old one is removed after the new image is
/// registered, so a run never writes over objects it did not create.
/// </summary>
public static class BundlePrefixes
{
    /// <summary>The prefix saved in run state, or a new one saved there now, so that a resumed run keeps using it.</summary>
    public static async Task<string> EstablishAsync(StepContext context, IAmazonS3 s3, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (context.State.TryGet(InstanceStoreState.BundlePrefix, out var saved))
        {
            return saved;
        }

        var suffix = RunSuffix(context.RunId);
        var prefix = context.Parameters.GetOrDefault(InstanceStoreParameters.BundlePrefix)
            ?? $"image-{timeProvider.GetUtcNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}-{suffix}";
        if (context.Parameters.IsSet(InstanceStoreParameters.BundlePrefix) && context.Parameters.Get(CommonParameters.ForceDeregister)
            && await FirstObjectUnderAsync(s3, context.Parameters.Get(InstanceStoreParameters.Bucket), prefix, cancellationToken) is not null)
        {
            context.State.Set(InstanceStoreState.ReplacedBundlePrefix, prefix);
            context.Logger.ReplacingBundleAtPrefix(prefix, $"{prefix}-{suffix}");
            prefix = $"{prefix}-{suffix}";
        }

        context.State.Set(InstanceStoreState.BundlePrefix, prefix);
        return prefix;
    }

    /// <summary>The prefix PrepareBucket fixed.</summary>
    public static string Of(StepContext context) => context.State.Get(InstanceStoreState.BundlePrefix);

    /// <summary>
    /// The first key of a bundle under <paramref name="prefix"/> (<c>PREFIX/...</c> as uploaded from here or the
    /// instance, <c>PREFIX.…</c> as BundleInstance writes it), or null when there is none or no such bucket.
    /// </summary>
    public static async Task<string?> FirstObjectUnderAsync(IAmazonS3 s3, string bucket, string prefix, CancellationToken cancellationToken)
    {
        foreach (var start in new[] { prefix + "/", prefix + "." })
        {
            try
            {
                var listing = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = start, MaxKeys = 1 }, cancellationToken);
                if (listing.S3Objects is [var first, ..])
                {
                    return first.Key;
                }
            }
            catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>Every key of the bundle under <paramref name="prefix"/> (both layouts, see <see cref="FirstObjectUnderAsync"/>).</summary>
    public static async Task<IReadOnlyList<string>> KeysUnderAsync(IAmazonS3 s3, string bucket, string prefix, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        foreach (var start in new[] { prefix + "/", prefix + "." })
        {
            var request = new ListObjectsV2Request { BucketName = bucket, Prefix = start };
            ListObjectsV2Response listing;
            do
            {
                listing = await s3.ListObjectsV2Async(request, cancellationToken);
                keys.AddRange((listing.S3Objects ?? []).Select(entry => entry.Key));
                request.ContinuationToken = listing.NextContinuationToken;
            }
            while (listing.IsTruncated == true);
        }

        return keys;
    }

    /// <summary>The random part of a run id (20261126-213000-a1b2c3 → a1b2c3).</summary>
    private static string RunSuffix(string runId) => runId[(runId.LastIndexOf('-') + 1)..];
}
