using System.Text.RegularExpressions;

namespace ImagePipeline.Strategies.InstanceStore.Ssh;

/// <summary>Whether a path on the instance is left out of what ec2-bundle-vol copies into the image.</summary>
public static partial class BundleExclusions
{
    /// <summary>What ec2-bundle-vol always leaves out.</summary>
    public static readonly IReadOnlyList<string> AlwaysExcluded = ["/dev", "/media", "/mnt", "/proc", "/sys"];

    public static bool IsExcluded(string remotePath, string bundleVolCommand) =>
        AlwaysExcluded.Any(root => remotePath == root || remotePath.StartsWith(root + "/", StringComparison.Ordinal))
        || ExcludesUploadPath().IsMatch(bundleVolCommand);

    public static bool Overlap(string first, string second)
    {
        var a = first.TrimEnd('/') + "/";
        var b = second.TrimEnd('/') + "/";
        return a.StartsWith(b, StringComparison.Ordinal) || b.StartsWith(a, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"(^|\s)(-e|--exclude)\s+\{x509_upload_path\}")]
    private static partial Regex ExcludesUploadPath();
}
