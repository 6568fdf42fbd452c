using ImagePipeline.Build.Cloud;

namespace ImagePipeline.Build.Host;

/// <summary>What the host runs in: the repository root (where .nuke/ is), the built-in plugins folder, the environment and the console.</summary>
internal sealed record HostEnvironment(
    string RootDirectory,
    string? PluginsFolder,
    IReadOnlyDictionary<string, string> Variables,
    TextWriter Out,
    TextWriter Error)
{
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The local cloud's executable assembly, started as a child process for <c>--cloud local</c>.</summary>
    public string LocalCloudExecutable { get; init; } = LocalCloudProcess.BesideHost;

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
