using System.Net;

namespace ImagePipeline.Strategies.InstanceStore.Buckets;

/// <summary>
/// S3's rules for general-purpose bucket names, checked before any call so that a typo is reported with the rule it
/// breaks instead of as an S3 error halfway through a run.
/// </summary>
public static class BucketNameRules
{
    private static readonly string[] ReservedPrefixes = ["xn--", "sthree-", "amzn-s3-demo-"];
    private static readonly string[] ReservedSuffixes = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

    /// <summary>Returns why <paramref name="name"/> cannot be a bucket name, or null when it can.</summary>
    public static string? Validate(string name)
    {
        if (name.Length is < 3 or > 63)
        {
            return $"--bucket '{name}' must be 3 to 63 characters long.";
        }

        if (!name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-'))
        {
            return $"--bucket '{name}' may hold only lowercase letters, digits, dots and hyphens.";
        }

        if (!IsLetterOrDigit(name[0]) || !IsLetterOrDigit(name[^1]))
        {
            return $"--bucket '{name}' must begin and end with a lowercase letter or a digit.";
        }

        if (name.Contains("..", StringComparison.Ordinal) || name.Contains(".-", StringComparison.Ordinal) || name.Contains("-.", StringComparison.Ordinal))
        {
            return $"--bucket '{name}' must not have two dots in a row, or a dot next to a hyphen.";
        }

        if (name.Count(c => c == '.') == 3 && IPAddress.TryParse(name, out _))
        {
            return $"--bucket '{name}' must not look like an IP address.";
        }

        if (ReservedPrefixes.FirstOrDefault(prefix => name.StartsWith(prefix, StringComparison.Ordinal)) is { } reservedPrefix)
        {
            return $"--bucket '{name}' must not begin with '{reservedPrefix}', which S3 reserves.";
        }

        if (ReservedSuffixes.FirstOrDefault(suffix => name.EndsWith(suffix, StringComparison.Ordinal)) is { } reservedSuffix)
        {
            return $"--bucket '{name}' must not end with '{reservedSuffix}', which S3 reserves.";
        }

        return null;
    }

    private static bool IsLetterOrDigit(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
