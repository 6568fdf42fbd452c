using System.Globalization;

namespace ImagePipeline.Strategies.Ebs.Images;

/// <summary>Expands <c>{timestamp}</c> (Unix seconds), <c>{date}</c> (yyyy-MM-dd, UTC) and <c>{git_sha}</c> in an AMI name.</summary>
public sealed class ImageNameTemplate(TimeProvider timeProvider, GitCommitReader git)
{
    public async Task<string> ExpandAsync(string template, string repositoryDirectory, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var name = template
            .Replace("{{timestamp}}", "{timestamp}", StringComparison.Ordinal)
            .Replace("{{date}}", "{date}", StringComparison.Ordinal)
            .Replace("{{git_sha}}", "{git_sha}", StringComparison.Ordinal)
            .Replace("{timestamp}", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{date}", now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), StringComparison.Ordinal);
        if (name.Contains("{git_sha}", StringComparison.Ordinal))
        {
            var sha = await git.ReadShortShaAsync(repositoryDirectory, cancellationToken) ?? "unknown";
            name = name.Replace("{git_sha}", sha, StringComparison.Ordinal);
        }

        return name;
    }
}
