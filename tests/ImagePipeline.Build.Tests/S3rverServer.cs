using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ImagePipeline.Build.Tests;

/// <summary>
/// s3rver, an S3 server from npm that this project did not write, started on 127.0.0.1 with a free port, so the S3 side
/// of the pipeline is checked against someone else's reading of the API. test.sh installs it under tests/node.
/// </summary>
public sealed partial class S3rverServer : IAsyncDisposable
{
    public const string AccessKeyId = "S3RVER";
    public const string SecretAccessKey = "S3RVER";

    private readonly Process _process;
    private readonly string _directory;

    private S3rverServer(Process process, string directory, Uri endpoint)
    {
        _process = process;
        _directory = directory;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public static async Task<S3rverServer> StartAsync()
    {
        var script = Path.Combine(HostSandbox.RepositoryRoot, "tests", "node", "node_modules", "s3rver", "bin", "s3rver.js");
        File.Exists(script).Should().BeTrue($"s3rver is installed by ./test.sh (npm install --prefix tests/node); {script} is missing");
        var directory = Directory.CreateTempSubdirectory("imagepipeline-s3rver-").FullName;
        var start = new ProcessStartInfo("node", [script, "--directory", directory, "--address", "127.0.0.1", "--port", "0", "--silent"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var match = Listening().Match(line);
            if (match.Success)
            {
                return new S3rverServer(process, directory, new Uri($"http://127.0.0.1:{match.Groups[1].Value}/"));
            }
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException($"s3rver did not start: {await process.StandardError.ReadToEndAsync()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [GeneratedRegex(@"listening on [^:]+:(\d+)")]
    private static partial Regex Listening();
}
