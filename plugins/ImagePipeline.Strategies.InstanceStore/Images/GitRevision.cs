using System.Diagnostics;

namespace ImagePipeline.Strategies.InstanceStore.Images;

/// <summary>The short commit id for {git_sha}: from CI's variables when set, else from <c>git rev-parse</c> in the current folder.</summary>
public static class GitRevision
{
    private static readonly string[] CiVariables = ["GITHUB_SHA", "CI_COMMIT_SHA", "GIT_COMMIT", "BUILD_SOURCEVERSION"];

    public static async Task<string?> FindAsync(CancellationToken cancellationToken)
    {
        foreach (var variable in CiVariables)
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: >= 7 } sha)
            {
                return sha[..7];
            }
        }

        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse --short=7 HEAD")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (git is null)
            {
                return null;
            }

            var output = await git.StandardOutput.ReadToEndAsync(cancellationToken);
            await git.WaitForExitAsync(cancellationToken);
            return git.ExitCode == 0 && output.Trim() is { Length: >= 7 } sha ? sha : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // git is not installed.
            return null;
        }
    }
}
