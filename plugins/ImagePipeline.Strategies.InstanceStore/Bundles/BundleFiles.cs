namespace ImagePipeline.Strategies.InstanceStore;

/// <summary>The files of a bundle named NAME in a folder: NAME.manifest.xml, NAME.part.N, and parts still being written.</summary>
public static class BundleFiles
{
    public static string ManifestFileName(string name) => name + ".manifest.xml";

    /// <summary>Removes every file of the bundle; returns how many there were.</summary>
    public static int Delete(string directory, string name)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var files = Directory.EnumerateFiles(directory, name + ".*")
            .Where(path => IsBundleFile(Path.GetFileName(path), name))
            .ToArray();
        foreach (var file in files)
        {
            File.Delete(file);
        }

        return files.Length;
    }

    private static bool IsBundleFile(string fileName, string name) =>
        fileName == ManifestFileName(name) || fileName.StartsWith(name + ".part.", StringComparison.Ordinal);
}
