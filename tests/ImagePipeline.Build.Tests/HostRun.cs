using ImagePipeline.Host;

namespace ImagePipeline.Build.Tests;

/// <summary>What one in-process run of the host printed, and its exit code.</summary>
public sealed record HostRun(int ExitCode, string Output, string Error)
{
    public string All => Output + Error;
}

/// <summary>Runs the real host in-process in a throw-away repository root, with the built-in plugins of the build output.</summary>
public sealed class HostSandbox : IDisposable
{
    public HostSandbox()
    {
        Root = Directory.CreateTempSubdirectory("imagepipeline-host-").FullName;
        Directory.CreateDirectory(Path.Combine(Root, ".nuke"));
    }

    public string Root { get; }

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>The plugins folder beside the built host: artifacts/bin/_build/CONFIGURATION/plugins.</summary>
    public static string PluginsFolder
    {
        get
        {
            var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine(testOutput.Parent!.Parent!.FullName, "_build", testOutput.Name, "plugins");
        }
    }

    /// <summary>The local cloud beside the built host: artifacts/bin/_build/CONFIGURATION/localcloud.</summary>
    public static string LocalCloudExecutable => Path.Combine(Path.GetDirectoryName(PluginsFolder)!, "localcloud", "ImagePipeline.LocalCloud.dll");

    /// <summary>The repository this test runs from (the folder that holds .nuke/ and ImagePipeline.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "ImagePipeline.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException("The tests run outside the repository.");
        }
    }

    public async Task<HostRun> RunAsync(params string[] args) => await RunAsync(CancellationToken.None, args);

    public async Task<HostRun> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new HostEnvironment(Root, PluginsFolder, Environment, output, error) { LocalCloudExecutable = LocalCloudExecutable, WorkingDirectory = Root };
        var exitCode = await BuildHost.RunAsync(args, environment, cancellationToken);
        return new HostRun(exitCode, output.ToString(), error.ToString());
    }

    public async Task<HostRun> RunAsync(TextWriter output, string[] args, CancellationToken cancellationToken)
    {
        using var error = new StringWriter();
        var environment = new HostEnvironment(Root, PluginsFolder, Environment, output, error) { LocalCloudExecutable = LocalCloudExecutable, WorkingDirectory = Root };
        var exitCode = await BuildHost.RunAsync(args, environment, cancellationToken);
        return new HostRun(exitCode, output.ToString() ?? string.Empty, error.ToString());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Leftovers in /tmp are not worth failing a test over.
        }
    }
}
