namespace ImagePipeline.Abstractions;

/// <summary>
/// Parses <c>key=value</c> items of a list parameter into tags, and checks them against EC2's tag rules before anything
/// runs, so that a tag AWS would refuse fails validation (exit 2) and not the registration after an upload.
/// </summary>
public static class TagList
{
    /// <summary>EC2's limit of tags on one resource.</summary>
    public const int MaxTagsPerResource = 50;

    public const int MaxKeyLength = 128;

    public const int MaxValueLength = 256;

    /// <summary>
    /// Tags ImagePipeline itself puts on what it creates (a run id, and a mark on a published image); they count
    /// against <see cref="MaxTagsPerResource"/> like the user's.
    /// </summary>
    public const int ReservedTags = 2;

    public const int MaxUserTags = MaxTagsPerResource - ReservedTags;

    /// <summary>The tags of items that <see cref="Validate"/> accepted.</summary>
    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<string> items)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            tags[item[..equals].Trim()] = item[(equals + 1)..].Trim();
        }

        return tags;
    }

    /// <summary>Every problem with the items, in one sentence, or null.</summary>
    public static string? Validate(string[] items)
    {
        var problems = new List<string>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? string.Empty : item[..equals].Trim();
            if (key.Length == 0)
            {
                problems.Add($"tag '{Shown(item)}' is not key=value");
                continue;
            }

            var value = item[(equals + 1)..].Trim();
            if (ProblemWith(key, value) is { } problem)
            {
                problems.Add(problem);
            }
            else if (!keys.Add(key))
            {
                problems.Add($"tag key '{Shown(key)}' is given twice; give each key once");
            }
        }

        if (items.Length > MaxUserTags)
        {
            problems.Add($"{items.Length} tags are too many: AWS allows {MaxTagsPerResource} per resource and ImagePipeline adds {ReservedTags} of its own, so give at most {MaxUserTags}");
        }

        return problems.Count == 0 ? null : $"Tags are refused: {string.Join("; ", problems)}.";
    }

    /// <summary>EC2's rules for one tag: key 1-128 characters, value up to 256, no reserved aws: prefix, no control characters.</summary>
    public static string? ProblemWith(string key, string value)
    {
        if (key.Length > MaxKeyLength)
        {
            return $"tag key '{Shown(key)}' is longer than {MaxKeyLength} characters";
        }

        if (value.Length > MaxValueLength)
        {
            return $"the value of tag '{Shown(key)}' is longer than {MaxValueLength} characters";
        }

        if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
        {
            return $"tag key '{Shown(key)}' starts with aws:, which AWS reserves for itself";
        }

        // EC2 takes any printable character (other services allow fewer); a control character would break every listing of the tag.
        if (key.Any(char.IsControl) || value.Any(char.IsControl))
        {
            return $"tag '{Shown(key)}' holds a control character (a line break or tab, for example); use printable characters only";
        }

        return null;
    }

    private static string Shown(string text)
    {
        var printable = new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return printable.Length <= 40 ? printable : printable[..40] + "...";
    }
}
