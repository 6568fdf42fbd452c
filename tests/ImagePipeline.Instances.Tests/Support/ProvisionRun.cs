using ImagePipeline.Core.Engine;
using ImagePipeline.LocalCloud;
using ImagePipeline.Testing;

namespace ImagePipeline.Instances.Tests;

/// <summary>One test's provisioning runs: a harness with <see cref="ProvisionOnlyPlugin"/> against the local cloud, and a folder for its scripts.</summary>
public sealed class ProvisionRun(PipelineCloudFixture cloud, string folder) : IAsyncLifetime
{
    public PipelineHarness Harness { get; } = new(cloud.Endpoint, [new ProvisionOnlyPlugin()], LocalCloudAccounts.AccessKeyId, LocalCloudAccounts.SecretAccessKey) { TimeProvider = cloud.Time };

    /// <summary>A folder of this test's own.</summary>
    public string Folder { get; } = folder;

    public string Logs => Harness.Logs.Text;

    /// <summary>Writes a script (or any file) into <see cref="Folder"/> and returns its path.</summary>
    public string Script(string name, string text)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Runs ProvisionInstance's steps (as the first target) with parameters given as on the command line.</summary>
    public Task<RunResult> RunAsync(IReadOnlyDictionary<string, string> parameters, string? resume = null) =>
        Harness.RunAsync("PrepareBucket", parameters, resume);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Harness.DisposeAsync();
}
