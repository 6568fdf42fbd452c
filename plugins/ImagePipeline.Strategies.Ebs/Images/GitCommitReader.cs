using System.Diagnostics;

namespace ImagePipeline.Strategies.Ebs.Images;

/// <summary>Reads the short commit id of the repository a run lives in, for the <c>{git_sha}</c> placeholder.</summary>
public class GitCommitReader
{
    /// <summary>The short sha of HEAD, or null when git is missing or the folder is not in a repository.</summary>
    public virtual async Task<string?> ReadShortShaAsync(string directory, CancellationToken cancellationToken)
    {
        try
        {
            var start = new ProcessStartInfo("git", ["rev-parse", "--short", "HEAD"])
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            var sha = output.Trim();
            return process.ExitCode == 0 && sha.Length > 0 ? sha : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // git is not installed: the placeholder falls back to "unknown", which is not worth failing a bake over.
            return null;
        }
    }
}
