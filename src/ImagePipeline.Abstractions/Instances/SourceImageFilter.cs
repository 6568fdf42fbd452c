namespace ImagePipeline.Abstractions;

/// <summary>
/// <c>--source-ami-filter</c>: which base image to launch from, as <c>key=value</c> items (Packer's
/// <c>source_ami_filter</c>): <c>name</c> (a pattern, <c>*</c> and <c>?</c> allowed), <c>owner</c> (repeatable: an
/// account id, <c>self</c>, <c>amazon</c>, <c>aws-marketplace</c>), <c>architecture</c>, <c>virtualization-type</c>,
/// <c>root-device-type</c>.
/// </summary>
public sealed record SourceImageFilter(
    string? Name,
    IReadOnlyList<string> Owners,
    string? Architecture,
    string? VirtualizationType,
    string? RootDeviceType)
{
    private static readonly string[] Keys = ["name", "owner", "architecture", "virtualization-type", "root-device-type"];

    /// <summary>The filter of items that <see cref="Validate"/> accepted.</summary>
    public static SourceImageFilter Parse(IEnumerable<string> items)
    {
        var pairs = items.Select(item => item.Split('=', 2)).Select(pair => (Key: pair[0].Trim().ToLowerInvariant(), Value: pair[1].Trim())).ToArray();
        string? One(string key) => pairs.LastOrDefault(pair => pair.Key == key).Value;
        return new SourceImageFilter(
            One("name"),
            pairs.Where(pair => pair.Key == "owner").Select(pair => pair.Value).ToArray(),
            One("architecture"),
            One("virtualization-type"),
            One("root-device-type"));
    }

    /// <summary>Every problem with the items, in one sentence, or null.</summary>
    public static string? Validate(string[] items)
    {
        var problems = new List<string>();
        foreach (var item in items)
        {
            var pair = item.Split('=', 2);
            if (pair.Length != 2 || pair[1].Trim().Length == 0)
            {
                problems.Add($"'{item}' is not key=value");
            }
            else if (!Keys.Contains(pair[0].Trim().ToLowerInvariant()))
            {
                problems.Add($"'{pair[0].Trim()}' is not one of {string.Join(", ", Keys)}");
            }
        }

        if (problems.Count == 0 && !items.Any(item => item.Split('=', 2)[0].Trim().Equals("name", StringComparison.OrdinalIgnoreCase)) && !items.Any(item => item.Split('=', 2)[0].Trim().Equals("owner", StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add("give at least a name pattern or an owner, so that the filter does not match every public image");
        }

        return problems.Count == 0 ? null : $"--source-ami-filter: {string.Join("; ", problems)}.";
    }
}
