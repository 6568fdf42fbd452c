using System.Text.RegularExpressions;
using ImagePipeline.LocalCloud.Storage;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>
/// Applies EC2 filters: a resource matches when every filter matches one of its values; values take * and ?
/// wildcards; tag:KEY, tag-key and tag-value work on every resource. An unknown filter name is refused like EC2 does.
/// </summary>
internal static class Ec2Filters
{
    public static bool Matches(IEnumerable<Ec2Filter> filters, Func<string, IEnumerable<string?>?> attribute, IReadOnlyCollection<Tag> tags)
    {
        foreach (var filter in filters)
        {
            IEnumerable<string?>? values = filter.Name switch
            {
                var n when n.StartsWith("tag:", StringComparison.Ordinal) => tags.Where(t => t.Key == n[4..]).Select(t => t.Value),
                "tag-key" => tags.Select(t => t.Key),
                "tag-value" => tags.Select(t => t.Value),
                _ => attribute(filter.Name),
            };
            if (values is null)
            {
                throw Ec2Errors.InvalidParameterValue($"The filter '{filter.Name}' is invalid");
            }

            var candidates = values.Where(v => v is not null).ToList();
            if (!filter.Values.Any(pattern => candidates.Any(v => Like(v!, pattern))))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Like(string value, string pattern)
    {
        if (!pattern.Contains('*', StringComparison.Ordinal) && !pattern.Contains('?', StringComparison.Ordinal))
        {
            return value == pattern;
        }

        var regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
        return Regex.IsMatch(value, regex, RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }
}
