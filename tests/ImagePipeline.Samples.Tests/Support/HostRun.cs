using ImagePipeline.Host;

namespace ImagePipeline.Samples.Tests.Support;

/// <summary>What one in-process run of the build host printed and returned.</summary>
internal sealed record HostRun(int ExitCode, string Output, string Error)
{
    /// <summary>Runs the host in this process with its own console, root and environment variables (nothing of the test process leaks in).</summary>
    public static async Task<HostRun> RunAsync(
        string root,
        string[] args,
        IReadOnlyDictionary<string, string>? variables = null,
        string? builtInPlugins = null,
        CancellationToken cancellationToken = default)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new HostEnvironment(root, builtInPlugins, variables ?? new Dictionary<string, string>(), output, error)
        {
            LocalCloudExecutable = RepositoryLayout.LocalCloudExecutable,
            WorkingDirectory = root,
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        var exitCode = await BuildHost.RunAsync(args, environment, timeout.Token);
        return new HostRun(exitCode, output.ToString(), error.ToString());
    }

    public IEnumerable<string> OutputLines => Output.Split('\n').Select(line => line.TrimEnd('\r'));
}
