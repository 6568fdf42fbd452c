using System.Reflection;
using ImagePipeline.Samples.Tests.Support;

namespace ImagePipeline.Samples.Tests.Packages;

/// <summary>
/// The four packages, packed once per test run (an incremental build of this tree) into a temporary feed, and
/// a NuGet setup that sees only that feed and this machine's package cache (offline), with a package folder of its
/// own, so a package of the same version cached by an earlier run never stands in for this one.
/// </summary>
public sealed class PackageFeed : IAsyncLifetime
{
    private readonly TemporaryFolder _folder = new("feed");

    public string Feed => Path.Combine(_folder.Path, "feed");

    /// <summary>The version every package has (Directory.Build.props).</summary>
    public string Version { get; } = typeof(ImagePipelineTasks).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

    public string PackagesFolder => Path.Combine(_folder.Path, "nuget-packages");

    /// <summary>The environment every dotnet process of these tests gets: the private package folder, no telemetry.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["NUGET_PACKAGES"] = PackagesFolder,
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    public async Task InitializeAsync()
    {
        var pack = await ChildProcess.RunAsync(
            "dotnet",
            ["pack", RepositoryLayout.PathOf("ImagePipeline.Packages.slnf"), "--no-restore", "-c", "Debug", "-o", Feed, "-nologo", "-v", "q"],
            RepositoryLayout.Root,
            Environment,
            TimeSpan.FromMinutes(5));
        if (pack.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet pack failed:\n{pack.Output}");
        }
    }

    /// <summary>A nuget.config in <paramref name="folder"/> (a consumer's own folder) with the feed and the machine's cache as its only sources.</summary>
    public void WriteNuGetConfig(string folder)
    {
        var cache = System.Environment.GetEnvironmentVariable("IMAGEPIPELINE_OFFLINE_PACKAGE_SOURCE") is { Length: > 0 } configured
            ? configured
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="imagepipeline-test-feed" value="{Feed}" />
                <add key="machine-cache" value="{cache}" />
              </packageSources>
            </configuration>
            """);
    }

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class PackageFeedCollection : ICollectionFixture<PackageFeed>
{
    public const string Name = "Packages from a temporary feed";
}
