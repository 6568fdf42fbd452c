using System.Globalization;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Strategies.InstanceStore;

/// <summary>Fixes the run's bundle prefix once (given, or <c>image-</c> and the UTC time) and reads it back.</summary>
public static class BundlePrefixes
{
    /// <summary>The prefix saved in run state, or a new one saved there now, so that a resumed run keeps using it.</summary>
    public static string Establish(StepContext context, TimeProvider timeProvider)
    {
        if (context.State.TryGet(InstanceStoreState.BundlePrefix, out var saved))
        {
            return saved;
        }

        var prefix = context.Parameters.GetOrDefault(InstanceStoreParameters.BundlePrefix)
            ?? "image-" + timeProvider.GetUtcNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        context.State.Set(InstanceStoreState.BundlePrefix, prefix);
        return prefix;
    }

    /// <summary>The prefix PrepareBucket fixed.</summary>
    public static string Of(StepContext context) => context.State.Get(InstanceStoreState.BundlePrefix);
}
