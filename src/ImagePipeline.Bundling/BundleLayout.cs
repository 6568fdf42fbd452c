using System.Globalization;
using System.Text.RegularExpressions;

namespace ImagePipeline.Bundling;

/// <summary>The file layout of a bundle on disk: part size and the names of parts and manifest.</summary>
internal static class BundleLayout
{
    /// <summary>EC2 expects every part but the last to be exactly 10 MiB.</summary>
    public const int PartSize = 10 * 1024 * 1024;

    public static string ManifestFileName(string name) => name + ".manifest.xml";

    /// <summary>
    /// <c>NAME.part.</c> + index zero-padded to the number of digits of the part count, as the AMI tools name them
    /// (7 parts: .part.0 … .part.6; 98 parts: .part.00 … .part.97; 100 parts: .part.000 …).
    /// </summary>
    public static string PartFileName(string name, int index, int partCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, partCount);
        return PartFileNameWithDigits(name, index, IndexDigits(partCount));
    }

    /// <summary>The number of digits part indexes are padded to for <paramref name="partCount"/> parts.</summary>
    public static int IndexDigits(long partCount) => Math.Max(1, partCount).ToString(CultureInfo.InvariantCulture).Length;

    /// <summary>
    /// <c>NAME.part.</c> + index zero-padded to <paramref name="digits"/>: for a bundle whose part count is not known
    /// when its first part is written and named (upload while bundling), the padding is taken from an upper bound.
    /// </summary>
    public static string PartFileNameWithDigits(string name, int index, int digits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return name + ".part." + index.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
    }

    /// <summary>
    /// The files in <paramref name="directory"/> that a bundle named <paramref name="name"/> would write: the manifest,
    /// NAME.part.DIGITS, and both while in progress. Other files sharing the prefix (NAME.part.README) are not the bundle's.
    /// </summary>
    public static IReadOnlyList<string> ExistingFiles(string directory, string name)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var pattern = new Regex("^" + Regex.Escape(name) + @"\.(manifest\.xml|part\.[0-9]+)(\.inprogress)?$", RegexOptions.CultureInvariant);
        return Directory.EnumerateFileSystemEntries(directory)
            .Where(path => pattern.IsMatch(Path.GetFileName(path)))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
