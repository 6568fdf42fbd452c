using System.Text.RegularExpressions;

namespace ImagePipeline.Strategies.InstanceStore.Bundles;

/// <summary>
/// The files of a bundle named NAME in a folder: NAME.manifest.xml, NAME.part.DIGITS, and both while still being written
/// (.inprogress). Other files that share the prefix, such as NAME.part.README, are not the bundle's and are never touched.
/// </summary>
public static class BundleFiles
{
    public static string ManifestFileName(string name) => name + ".manifest.xml";

    /// <summary>True for NAME.part.DIGITS, a finished part of the bundle named <paramref name="name"/>.</summary>
    public static bool IsPartFileName(string fileName, string name) =>
        fileName.StartsWith(name + ".part.", StringComparison.Ordinal) && fileName[(name.Length + 6)..] is { Length: > 0 } index && index.All(char.IsAsciiDigit);

    /// <summary>The bundle's files present in <paramref name="directory"/>, sorted.</summary>
    public static IReadOnlyList<string> Existing(string directory, string name)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var pattern = new Regex("^" + Regex.Escape(name) + @"\.(manifest\.xml|part\.[0-9]+)(\.inprogress)?$", RegexOptions.CultureInvariant);
        return Directory.EnumerateFiles(directory)
            .Where(path => pattern.IsMatch(Path.GetFileName(path)))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Why the bundle cannot be written into <paramref name="directory"/> (files of its names are there already), or null.
    /// A run never writes over a bundle it did not make, so that its cleanup can remove its files and only those.
    /// </summary>
    public static string? ProblemWithExisting(string directory, string name) =>
        Existing(directory, name) is [var first, ..] existing
            ? $"The bundle destination '{directory}' already holds {existing.Count} file(s) of a bundle named '{name}' ({Path.GetFileName(first)}); remove that bundle, or pass another --bundle-prefix or --bundle-destination."
            : null;

    /// <summary>Removes every file of the bundle; returns how many there were. Only for a bundle this run wrote.</summary>
    public static int Delete(string directory, string name)
    {
        var files = Existing(directory, name);
        foreach (var file in files)
        {
            File.Delete(file);
        }

        return files.Count;
    }
}
