namespace ImagePipeline.Samples.Tests.Support;

/// <summary>A folder of its own for one test (its repository root, run records, demo material), removed afterwards.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder(string purpose)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"imagepipeline-samples-{purpose}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(Path);

        // .nuke/ marks a repository root for the host.
        Directory.CreateDirectory(System.IO.Path.Combine(Path, ".nuke"));
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process that was killed on timeout may still hold a file; the OS cleans the temp folder.
        }
    }
}
