using System.Diagnostics;

namespace ImagePipeline.Bundling.Tests;

/// <summary>Runs standard tools (openssl, GNU tar, gzip) through bash for interoperability checks.</summary>
public static class ShellCommand
{
    public static string Run(string script, string workingDirectory)
    {
        var start = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{script}' exited with {process.ExitCode}: {error.Result}");
        }

        return output.Result;
    }
}
