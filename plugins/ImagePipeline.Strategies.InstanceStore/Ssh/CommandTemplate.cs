using ImagePipeline.Abstractions;
using System.Text.RegularExpressions;

namespace ImagePipeline.Strategies.InstanceStore.Ssh;

/// <summary>Fills {placeholders} of a remote command template with shell-quoted values.</summary>
public static partial class CommandTemplate
{
    /// <summary>The placeholders a template uses that are not in <paramref name="known"/>.</summary>
    public static IReadOnlyList<string> UnknownPlaceholders(string template, IEnumerable<string> known)
    {
        var allowed = known.ToHashSet(StringComparer.Ordinal);
        return Placeholder().Matches(template).Select(match => match.Groups["name"].Value).Where(name => !allowed.Contains(name)).Distinct().ToArray();
    }

    public static string Fill(string template, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(template, match => values.TryGetValue(match.Groups["name"].Value, out var value) ? RemoteCommands.Quote(value) : match.Value);

    [GeneratedRegex(@"\{(?<name>[a-z0-9_]+)\}")]
    private static partial Regex Placeholder();
}
