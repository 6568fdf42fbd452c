using System.Text;

namespace ImagePipeline.Output;

/// <summary>
/// What the host does differently inside GitHub Actions (GITHUB_ACTIONS=true): workflow commands for groups, masks and
/// error annotations, and the files GitHub reads for step outputs and the job summary.
/// </summary>
internal sealed class GitHubActions(IReadOnlyDictionary<string, string> environment)
{
    public bool IsActive => environment.TryGetValue("GITHUB_ACTIONS", out var value) && value == "true";

    public string? OutputFile => environment.GetValueOrDefault("GITHUB_OUTPUT");

    public string? SummaryFile => environment.GetValueOrDefault("GITHUB_STEP_SUMMARY");

    /// <summary>Registers secrets with the runner before anything else is printed, so GitHub masks them in the log as well.</summary>
    public static string Mask(string secret) => $"::add-mask::{Escape(secret)}";

    public static string StartGroup(string title) => $"::group::{Escape(title)}";

    public static string EndGroup() => "::endgroup::";

    public static string Notice(string message) => $"::notice::{Escape(message)}";

    public static string Warning(string message) => $"::warning::{Escape(message)}";

    public static string Error(string title, string message) => $"::error title={EscapeProperty(title)}::{Escape(message)}";

    public void WriteOutputs(IReadOnlyDictionary<string, string> outputs)
    {
        if (OutputFile is null)
        {
            return;
        }

        var text = new StringBuilder();
        foreach (var (name, value) in outputs)
        {
            // The heredoc form keeps values with newlines or '=' intact.
            var delimiter = "EOF_" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
            text.Append(name).Append("<<").Append(delimiter).Append('\n').Append(value).Append('\n').Append(delimiter).Append('\n');
        }

        File.AppendAllText(OutputFile, text.ToString());
    }

    public void WriteSummary(string markdown)
    {
        if (SummaryFile is not null)
        {
            File.AppendAllText(SummaryFile, markdown);
        }
    }

    private static string Escape(string text) => text.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    private static string EscapeProperty(string text) => Escape(text).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);
}
