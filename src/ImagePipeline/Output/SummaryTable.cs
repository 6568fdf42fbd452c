using System.Globalization;
using System.Text;
using ImagePipeline.Abstractions;
using ImagePipeline.Core.Engine;

namespace ImagePipeline.Output;

/// <summary>The table at the end of a run (Nuke-style): each target, its status, duration and the one fact that matters.</summary>
internal static class SummaryTable
{
    public static string StatusWord(TargetStatus status) => status switch
    {
        TargetStatus.NotApplicable => "not applicable",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static string Duration(TimeSpan duration) => duration.ToString(@"m\:ss\.ff", CultureInfo.InvariantCulture);

    public static IEnumerable<string> Lines(RunResult result, bool isLocalCloud)
    {
        var rows = result.Targets.Select(row => (row.Target.ToString(), StatusWord(row.Status), Duration(row.Duration), Shorten(row.Note ?? string.Empty))).ToList();
        var width = Math.Max(18, rows.Max(row => row.Item1.Length) + 2);
        var rule = new string('═', 96);
        yield return string.Empty;
        yield return rule;
        yield return $"{"Target".PadRight(width)}{"Status",-16}{"Duration",-10}Note";
        yield return new string('─', 96);
        foreach (var (target, status, duration, note) in rows)
        {
            yield return $"{target.PadRight(width)}{status,-16}{duration,-10}{note}";
        }

        yield return new string('─', 96);
        var total = result.Targets.Aggregate(TimeSpan.Zero, (sum, row) => sum + row.Duration);
        yield return $"{"Total".PadRight(width)}{string.Empty,-16}{Duration(total),-10}";
        yield return rule;
        yield return result.Outcome switch
        {
            RunOutcome.Succeeded => $"Run {result.RunId} succeeded{LocalCloudNotice.Suffix(isLocalCloud)}" + (result.Outputs.TryGetValue(WellKnownOutputs.ImageId, out var image) ? $": image {image}" : "."),
            RunOutcome.Cancelled => $"Run {result.RunId} was cancelled; what it created was cleaned up (resume with --resume {result.RunId}).",
            _ => $"Run {result.RunId} failed; resume after fixing the cause with --resume {result.RunId}.",
        };
    }

    public static string Markdown(RunResult result, string strategy, bool isLocalCloud)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### ImagePipeline: {strategy}, {result.Outcome.ToString().ToLowerInvariant()}{LocalCloudNotice.Suffix(isLocalCloud)}");
        text.AppendLine();
        text.AppendLine("| Target | Status | Duration | Note |");
        text.AppendLine("|---|---|---|---|");
        foreach (var row in result.Targets)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Target} | {StatusWord(row.Status)} | {Duration(row.Duration)} | {(row.Note ?? string.Empty).Replace("|", "\\|", StringComparison.Ordinal)} |");
        }

        if (result.Outputs.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("| Output | Value |");
            text.AppendLine("|---|---|");
            foreach (var (name, value) in result.Outputs)
            {
                // GitHub reads \| as a pipe even inside a code span in a table cell; a bare one would split the row.
                text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | `{value.Replace("|", "\\|", StringComparison.Ordinal)}` |");
            }
        }

        text.AppendLine();
        return text.ToString();
    }

    private static string Shorten(string note) => note.Length <= 90 ? note : note[..87] + "...";
}
