using System.Text;
using System.Text.RegularExpressions;

namespace ImagePipeline.LocalCloud.Ssm;

/// <summary>
/// What a simulated run of AWS-RunPowerShellScript / AWS-RunShellScript prints: the local cloud runs no script, but a
/// line that only prints a quoted literal (<c>Write-Output 'x'</c>, <c>Write-Host "x"</c>, <c>echo 'x'</c>) prints
/// it, so a caller's handling of output can be tested. SSM returns at most the first 24,000 characters.
/// </summary>
internal static partial class ScriptOutput
{
    public const int MaxContentLength = 24_000;

    [GeneratedRegex("""^\s*(?:Write-Output|Write-Host|echo)\s+(?:'(?<text>[^']*)'|"(?<text>[^"$`\\]*)")\s*;?\s*$""", RegexOptions.IgnoreCase)]
    private static partial Regex PrintLiteral();

    public static string Of(IReadOnlyDictionary<string, List<string>> parameters)
    {
        var output = new StringBuilder();
        foreach (var line in parameters.GetValueOrDefault("commands", []).SelectMany(c => c.Split('\n')))
        {
            if (PrintLiteral().Match(line.TrimEnd('\r')) is { Success: true } match)
            {
                output.Append(match.Groups["text"].Value).Append('\n');
            }
        }

        return output.ToString();
    }

    public static string Truncate(string content) => content.Length > MaxContentLength ? content[..MaxContentLength] : content;
}
