using System.Text.RegularExpressions;

namespace ImagePipeline.Abstractions;

/// <summary>AWS's rules for AMI names, checked before any call so a bad name never costs a bundle or an upload.</summary>
public static partial class ImageNameRules
{
    [GeneratedRegex(@"^[A-Za-z0-9()\[\] ./\-'@_]{3,128}$")]
    private static partial Regex AllowedName();

    /// <summary>Placeholders such as <c>{timestamp}</c> are checked as if expanded (<see cref="ImageNameTemplate"/>), at their real length.</summary>
    public static string? Validate(string name)
    {
        var probe = ImageNameTemplate.Expand(name, DateTimeOffset.UnixEpoch, new string('0', SourceRevision.ShortLength));
        if (probe.Length is < 3 or > 128)
        {
            return $"--ami-name must be 3 to 128 characters long; '{name}' is {probe.Length} once expanded.";
        }

        return AllowedName().IsMatch(probe)
            ? null
            : $"--ami-name '{name}' has characters AWS does not allow; use letters, digits, spaces and ( ) [ ] . / - ' @ _.";
    }
}
