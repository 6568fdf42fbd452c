using System.Diagnostics;

namespace ImagePipeline.VolumeBundler.Tests;

/// <summary>Runs a bash script as the test's setup would by hand; throws with its output when it fails.</summary>
internal static class Shell
{
    public static string Run(string script)
    {
        var (exitCode, output, error) = TryRun(script);
        return exitCode == 0 ? output : throw new InvalidOperationException($"'{script}' failed ({exitCode}): {error}{output}");
    }

    public static (int ExitCode, string Output, string Error) TryRun(string script)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-euo");
        start.ArgumentList.Add("pipefail");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }

    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
