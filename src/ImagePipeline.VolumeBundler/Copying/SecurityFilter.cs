using System.IO.Enumeration;

namespace ImagePipeline.VolumeBundler.Copying;

/// <summary>
/// ec2-bundle-vol's security file filter (constants.rb, Security::FILE_FILTER), matched as rsync matches exclude
/// patterns: a pattern without '/' against the name, one with '/' against as many trailing path components, '*' never
/// crossing a '/'. Files given with --include are kept even when they match.
/// </summary>
internal sealed class SecurityFilter
{
    public static readonly IReadOnlyList<string> Patterns =
    [
        "*/#*#", "*/.#*", "*.sw", "*.swo", "*.swp", "*~", "*.pem", "*.priv", "*id_rsa*", "*id_dsa*", "*.gpg", "*.jks",
        "*/.ssh/authorized_keys", "*/.bash_history",
    ];

    private readonly bool _enabled;
    private readonly IReadOnlySet<string> _included;

    public SecurityFilter(bool enabled, IReadOnlySet<string> includedPaths)
    {
        _enabled = enabled;
        _included = includedPaths;
    }

    /// <summary>Whether the entry at <paramref name="relativePath"/> (from the volume, starting with '/') is left out.</summary>
    public bool Excludes(string relativePath, string fullPath) =>
        _enabled && !_included.Contains(fullPath) && Patterns.Any(pattern => Matches(pattern, relativePath));

    public static bool Matches(string pattern, string relativePath)
    {
        var patternParts = pattern.Split('/');
        var pathParts = relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (pathParts.Length < patternParts.Length)
        {
            return false;
        }

        var offset = pathParts.Length - patternParts.Length;
        for (var index = 0; index < patternParts.Length; index++)
        {
            if (!FileSystemName.MatchesSimpleExpression(patternParts[index], pathParts[offset + index], ignoreCase: false))
            {
                return false;
            }
        }

        return true;
    }
}
