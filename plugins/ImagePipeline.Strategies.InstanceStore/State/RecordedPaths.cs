namespace ImagePipeline.Strategies.InstanceStore.State;

/// <summary>
/// Checks a path read back from run state before anything is deleted there. The run record is a file anyone who can
/// write the work tree can edit, so a local path in it is trusted only inside the run's own work folder, reached
/// without symbolic links, and a remote one only when it is the one the run's parameters give.
/// </summary>
public static class RecordedPaths
{
    /// <summary>What each recorded path is, as refusals name it (one wording, so two steps checking one path report it once).</summary>
    public const string StagedCertificateFolder = "staged-certificate folder";

    public const string BundleFolder = "bundle folder";

    public const string InstanceBundleFolder = "bundle folder on the instance";

    public const string BundlePrefix = "bundle prefix";

    /// <summary>Null when <paramref name="path"/> is a folder (or nothing yet) strictly inside <paramref name="workDirectory"/>; otherwise the reason, on one line.</summary>
    /// <param name="path">The path as the record has it.</param>
    /// <param name="workDirectory">The run's work folder.</param>
    /// <param name="what">What the path is, for the message ("staged-certificate folder").</param>
    public static string? ProblemWithLocal(string path, string workDirectory, string what)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workDirectory));
        if (!Path.IsPathFullyQualified(path))
        {
            return Refusal(path, what, "is not an absolute path");
        }

        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return Refusal(path, what, $"is outside the run's work folder {root}");
        }

        var current = root;
        foreach (var name in Path.GetRelativePath(root, full).Split(Path.DirectorySeparatorChar))
        {
            current = Path.Combine(current, name);
            if (new FileInfo(current).LinkTarget is { } target)
            {
                return Refusal(path, what, $"goes through the symbolic link {current} (to {target})");
            }
        }

        return File.Exists(full) ? Refusal(path, what, "is a file, not a folder") : null;
    }

    /// <summary>
    /// Null when <paramref name="path"/> is inside <paramref name="workDirectory"/> (as <see cref="ProblemWithLocal(string, string, string)"/>)
    /// or is the folder the run's parameters name (<paramref name="named"/>, such as the resolved --bundle-destination); otherwise the reason.
    /// </summary>
    public static string? ProblemWithLocal(string path, string workDirectory, string what, string named)
    {
        if (Path.IsPathFullyQualified(path)
            && string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(named)), StringComparison.Ordinal))
        {
            return null;
        }

        return ProblemWithLocal(path, workDirectory, what) is null
            ? null
            : Refusal(path, what, $"is neither inside the run's work folder {Path.TrimEndingDirectorySeparator(Path.GetFullPath(workDirectory))} nor the folder the run's parameters name ({named})");
    }

    /// <summary>Null when a recorded name (a bundle prefix) is one file name, so that files named after it stay in their folder; otherwise the reason.</summary>
    public static string? ProblemWithName(string name, string what) =>
        name.Length == 0 || name is "." or ".." || name.IndexOfAny(['/', '\\']) >= 0 || name.Any(char.IsControl)
            ? Refusal(name, what, "is not a plain name")
            : null;

    /// <summary>Null when the recorded remote <paramref name="path"/> is the one the parameters give; otherwise the reason.</summary>
    public static string? ProblemWithRemote(string path, string expected, string what) =>
        path == expected ? null : Refusal(path, what, $"is not the folder the run's parameters name ({expected})");

    private static string Refusal(string path, string what, string why) =>
        $"The run record's {what} '{path}' {why}: the record was edited, so the run is not resumed and nothing is deleted; start a new run without --resume.";
}
