namespace ImagePipeline.Host;

/// <summary>
/// What the host runs in: the project root (where <c>.nuke/</c> is, or the current folder), the folder relative paths
/// resolve against, the built-in plugins folder, the environment and the console.
/// </summary>
internal sealed record HostEnvironment(
    string RootDirectory,
    string? PluginsFolder,
    IReadOnlyDictionary<string, string> Variables,
    TextWriter Out,
    TextWriter Error)
{
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The local cloud's executable assembly, started as a child process for <c>--cloud local</c>.</summary>
    public string LocalCloudExecutable { get; init; } = ShippedFolders.LocalCloudExecutable;

    /// <summary>The caller's folder: every relative path a user gives (image, keys, manifest, --output-json, destinations) resolves against it.</summary>
    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>The host as a program or a library call sees it: rooted at the current folder (or the nearest above it with .nuke/).</summary>
    public static HostEnvironment ForCurrentFolder(IReadOnlyDictionary<string, string> variables, TextWriter output, TextWriter error)
    {
        var current = Directory.GetCurrentDirectory();
        return new HostEnvironment(FindRoot(current), ShippedFolders.Plugins, variables, output, error) { WorkingDirectory = current };
    }

    /// <summary>A path a user gave, made absolute against <see cref="WorkingDirectory"/>.</summary>
    public string FullPath(string path) => Path.GetFullPath(path, WorkingDirectory);

    /// <summary>The nearest folder at or above <paramref name="start"/> that holds .nuke/ (Nuke's root marker), or <paramref name="start"/> itself.</summary>
    public static string FindRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, ".nuke")))
            {
                return directory.FullName;
            }
        }

        return start;
    }
}
