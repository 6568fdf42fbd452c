using System.Globalization;
using System.Text.RegularExpressions;

namespace ImagePipeline.Strategies.InstanceStore.Images;

/// <summary>Expands <c>{timestamp}</c> (UTC yyyyMMddHHmmss), <c>{date}</c> (UTC yyyy-MM-dd) and <c>{git_sha}</c> in --ami-name; <c>{{…}}</c> works too.</summary>
public static partial class ImageNameTemplate
{
    public static bool NeedsGitSha(string template) => Placeholder().Matches(template).Any(match => match.Groups["name"].Value == "git_sha");

    public static string Expand(string template, DateTimeOffset now, string? gitSha) =>
        Placeholder().Replace(template, match => match.Groups["name"].Value switch
        {
            "timestamp" => now.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture),
            "date" => now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => gitSha ?? match.Value,
        });

    [GeneratedRegex(@"\{\{?(?<name>timestamp|date|git_sha)\}?\}")]
    private static partial Regex Placeholder();
}
