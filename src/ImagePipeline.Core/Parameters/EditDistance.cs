namespace ImagePipeline.Core.Parameters;

/// <summary>Levenshtein distance, for suggesting the closest target or parameter name.</summary>
public static class EditDistance
{
    public static int Between(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>The candidate nearest <paramref name="name"/>, when it is within <paramref name="maximumDistance"/> edits (by default a third of the name, at least 2).</summary>
    public static string? Closest(string name, IEnumerable<string> candidates, int? maximumDistance = null)
    {
        var best = candidates.Select(candidate => (candidate, distance: Between(name, candidate))).OrderBy(pair => pair.distance).FirstOrDefault();
        return best.candidate is not null && best.distance <= (maximumDistance ?? Math.Max(2, name.Length / 3)) ? best.candidate : null;
    }
}
