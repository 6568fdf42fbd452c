using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Parameters;

namespace ImagePipeline.Strategies.InstanceStore.Bundles;

/// <summary>Where a local bundle is written: --bundle-destination, or a 'bundle' folder in the run's work directory.</summary>
public static class BundleDestinations
{
    public static string Resolve(IParameterValues parameters, string workDirectory) =>
        parameters.GetOrDefault(InstanceStoreParameters.BundleDestination) is { Length: > 0 } given
            ? Path.GetFullPath(given)
            : Path.Combine(workDirectory, "bundle");
}
