namespace ImagePipeline.Output;

/// <summary>
/// Checks, before anything runs, that every file the host writes at the end (--output-json, GITHUB_OUTPUT,
/// GITHUB_STEP_SUMMARY) can be written, so that a finished image is never followed by a failure to report it. The check
/// opens each file for append and removes whatever it had to create for that.
/// </summary>
internal static class OutputDestinations
{
    /// <summary>One sentence per destination that cannot be written.</summary>
    public static IReadOnlyList<string> Problems(IEnumerable<(string Name, string Path)> destinations) =>
        destinations.Select(destination => Problem(destination.Name, destination.Path)).OfType<string>().ToArray();

    private static string? Problem(string name, string path)
    {
        if (Directory.Exists(path))
        {
            return $"{name} '{path}' is a folder; pass the path of a file to write.";
        }

        var existingAncestor = Path.GetDirectoryName(path);
        while (existingAncestor is not null && !Directory.Exists(existingAncestor))
        {
            if (File.Exists(existingAncestor))
            {
                return $"{name} '{path}' cannot be written: '{existingAncestor}' is a file, not a folder; pass a path in a folder.";
            }

            existingAncestor = Path.GetDirectoryName(existingAncestor);
        }

        var createdFolders = new List<string>();
        var existed = File.Exists(path);
        try
        {
            for (var folder = Path.GetDirectoryName(path); folder is not null && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
            {
                createdFolders.Add(folder);
            }

            createdFolders.Reverse();
            foreach (var folder in createdFolders)
            {
                Directory.CreateDirectory(folder);
            }

            using (new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
            {
            }

            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return $"{name} '{path}' cannot be written ({exception.Message}); pass a path you can write to.";
        }
        finally
        {
            if (!existed && File.Exists(path))
            {
                File.Delete(path);
            }

            createdFolders.Reverse();
            foreach (var folder in createdFolders.Where(Directory.Exists))
            {
                Directory.Delete(folder);
            }
        }
    }
}
