using System.ComponentModel;
using System.Diagnostics;

namespace ImagePipeline.Abstractions;

/// <summary>
/// The commit a run bakes from, for <c>{git_sha}</c> in <c>--ami-name</c>: CI's variables first (<c>GITHUB_SHA</c>,
/// <c>CI_COMMIT_SHA</c>, <c>GIT_COMMIT</c>, <c>BUILD_SOURCEVERSION</c>), else <c>git rev-parse</c> in the current folder.
/// The only place that reads them; the answer is looked up once per run.
/// </summary>
public sealed class SourceRevision(Func<string, string?>? environment = null, string? directory = null)
{
    /// <summary>The CI variables that carry the commit, in the order they are read.</summary>
    public static readonly IReadOnlyList<string> CiVariables = ["GITHUB_SHA", "CI_COMMIT_SHA", "GIT_COMMIT", "BUILD_SOURCEVERSION"];

    /// <summary>How many hex digits <c>{git_sha}</c> has.</summary>
    public const int ShortLength = 7;

    private readonly Lock _gate = new();
    private Task<string?>? _shortSha;

    /// <summary>The first <see cref="ShortLength"/> hex digits of the commit, lower case; null when neither CI nor git knows it.</summary>
    public Task<string?> FindShortShaAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _shortSha ??= FindAsync(cancellationToken);
        }
    }

    private async Task<string?> FindAsync(CancellationToken cancellationToken)
    {
        foreach (var variable in CiVariables)
        {
            if (Shorten((environment ?? Environment.GetEnvironmentVariable)(variable)) is { } sha)
            {
                return sha;
            }
        }

        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["rev-parse", "HEAD"])
            {
                WorkingDirectory = directory ?? Environment.CurrentDirectory,
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
            return git.ExitCode == 0 ? Shorten(output.Trim()) : null;
        }
        catch (Win32Exception)
        {
            // git is not installed: the template refuses {git_sha} with the fix.
            return null;
        }
    }

    /// <summary>A commit id from outside (a CI variable, git's output) only when it is one: hex digits, nothing else.</summary>
    private static string? Shorten(string? sha) =>
        sha is { Length: >= ShortLength } && sha.All(char.IsAsciiHexDigit) ? sha[..ShortLength].ToLowerInvariant() : null;
}
