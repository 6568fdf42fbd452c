using System.Globalization;
using System.Text.RegularExpressions;

namespace ImagePipeline.Abstractions;

/// <summary>
/// Expands the placeholders of <c>--ami-name</c>, with one meaning for every strategy: <c>{timestamp}</c> is the UTC
/// time as <c>yyyyMMddHHmmss</c>, <c>{date}</c> the UTC date as <c>yyyy-MM-dd</c>, <c>{git_sha}</c> the first 7 hex
/// digits of the commit (<see cref="SourceRevision"/>); Packer's <c>{{…}}</c> spellings work too. A name that uses
/// <c>{git_sha}</c> when no commit can be found is refused rather than named "unknown".
/// </summary>
public sealed partial class ImageNameTemplate(TimeProvider timeProvider, SourceRevision revision)
{
    public static bool UsesGitSha(string template) => Placeholder().Matches(template).Any(match => match.Groups["name"].Value == "git_sha");

    /// <summary>The name for <paramref name="template"/> at <paramref name="now"/>; <c>{git_sha}</c> stays as written when <paramref name="gitSha"/> is null.</summary>
    public static string Expand(string template, DateTimeOffset now, string? gitSha) =>
        Placeholder().Replace(template, match => match.Groups["name"].Value switch
        {
            "timestamp" => now.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture),
            "date" => now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => gitSha ?? match.Value,
        });

    /// <summary>The name for this run, expanded now. Expand it once and keep it in the run state, so a resumed run keeps it.</summary>
    /// <exception cref="PipelineException">The template uses <c>{git_sha}</c> and no commit was found.</exception>
    public async Task<string> ExpandAsync(string template, CancellationToken cancellationToken)
    {
        string? gitSha = null;
        if (UsesGitSha(template) && (gitSha = await revision.FindShortShaAsync(cancellationToken)) is null)
        {
            throw PipelineException.Input(NoCommit(template));
        }

        return Expand(template, timeProvider.GetUtcNow(), gitSha);
    }

    /// <summary>
    /// Checks <c>--ami-name</c> before the run: a commit for <c>{git_sha}</c>, and AWS's rules for the expanded name.
    /// Returns the name as it would be expanded now, or null (with the errors added) when it cannot be used.
    /// </summary>
    public async Task<string?> ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        if (!context.Require(CommonParameters.ImageName, "to name the new AMI"))
        {
            return null;
        }

        var template = context.Parameters.Get(CommonParameters.ImageName);
        string? gitSha = null;
        if (UsesGitSha(template) && (gitSha = await revision.FindShortShaAsync(cancellationToken)) is null)
        {
            context.AddError(NoCommit(template));
            return null;
        }

        var name = Expand(template, timeProvider.GetUtcNow(), gitSha);
        if (ImageNameRules.Validate(name) is { } problem)
        {
            context.AddError(problem);
            return null;
        }

        return name;
    }

    private static string NoCommit(string template) =>
        $"--ami-name '{template}' uses {{git_sha}}, but no commit was found (not a git checkout, and none of {string.Join(", ", SourceRevision.CiVariables)} is set); run from the repository, or drop {{git_sha}}.";

    [GeneratedRegex(@"\{\{?(?<name>timestamp|date|git_sha)\}?\}")]
    private static partial Regex Placeholder();
}
