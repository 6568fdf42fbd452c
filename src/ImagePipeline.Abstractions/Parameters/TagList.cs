namespace ImagePipeline.Abstractions;

/// <summary>Parses <c>key=value</c> items of a list parameter into tags.</summary>
public static class TagList
{
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

    public static string? Validate(string[] items)
    {
        foreach (var item in items)
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return $"Tag '{item}' is not key=value.";
            }

            if (equals > 128 || item.Length - equals - 1 > 256)
            {
                return $"Tag '{item[..Math.Min(equals, 40)]}' is too long (keys 128, values 256 characters).";
            }
        }

        return null;
    }
}
