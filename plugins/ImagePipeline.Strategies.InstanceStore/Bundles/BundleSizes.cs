using System.Globalization;

namespace ImagePipeline.Strategies.InstanceStore.Bundles;

/// <summary>How the summary shows a bundle: "7 parts, 64.3 MiB".</summary>
public static class BundleSizes
{
    public static string Describe(int parts, long bytes) =>
        string.Create(CultureInfo.InvariantCulture, $"{parts} part{(parts == 1 ? string.Empty : "s")}, {bytes / (1024.0 * 1024.0):0.0#} MiB");
}
