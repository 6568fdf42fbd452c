using ImagePipeline.Samples.Tests.Support;

namespace ImagePipeline.Samples.Tests.CustomStrategy;

/// <summary>Builds samples/CustomStrategy once, as a user would (<c>dotnet build -o FOLDER</c>), into a folder of its own.</summary>
public sealed class CustomStrategyBuild : IAsyncLifetime
{
    private readonly TemporaryFolder _output = new("plugin");

    public string Folder => _output.Path;

    public string AssemblyPath => Path.Combine(Folder, "CustomStrategy.dll");

    public async Task InitializeAsync()
    {
        var build = await ChildProcess.RunAsync(
            "dotnet",
            ["build", RepositoryLayout.PathOf("samples/CustomStrategy/CustomStrategy.csproj"), "-o", Folder, "-nologo", "-v", "q", "-clp:NoSummary"],
            RepositoryLayout.Root,
            new Dictionary<string, string>(),
            TimeSpan.FromMinutes(4));
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet build samples/CustomStrategy failed ({build.ExitCode}):\n{build.Output}");
        }
    }

    public Task DisposeAsync()
    {
        _output.Dispose();
        return Task.CompletedTask;
    }
}
