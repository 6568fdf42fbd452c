using System.Text.Json;
using System.Text.Json.Nodes;
using ImagePipeline.Core.Engine;

namespace ImagePipeline.Output;

/// <summary>
/// The <c>--output-json</c> file: the summary and the run's outputs, for scripts and CI. It holds no secret to begin
/// with, so it is never masked: masking would corrupt values that happen to contain a secret's text.
/// </summary>
internal static class OutputJsonFile
{
    public static string Render(RunResult result, string strategy, string target, bool isLocalCloud)
    {
        var json = new JsonObject
        {
            ["runId"] = result.RunId,
            ["cloud"] = isLocalCloud ? "local" : "aws",
            ["strategy"] = strategy,
            ["target"] = target,
            ["outcome"] = result.Outcome.ToString().ToLowerInvariant(),
            ["error"] = result.Failure is null ? null : StepEngine.OneLine(result.Failure),
            ["targets"] = new JsonArray(result.Targets.Select(row => (JsonNode)new JsonObject
            {
                ["target"] = row.Target.ToString(),
                ["status"] = SummaryTable.StatusWord(row.Status),
                ["durationSeconds"] = Math.Round(row.Duration.TotalSeconds, 3),
                ["note"] = row.Note,
            }).ToArray()),
            ["outputs"] = new JsonObject(result.Outputs.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value))),
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>The file for the Validate target: the same shape, no run, no outputs.</summary>
    public static string RenderValidation(string strategy, bool isLocalCloud) =>
        new JsonObject
        {
            ["runId"] = null,
            ["cloud"] = isLocalCloud ? "local" : "aws",
            ["strategy"] = strategy,
            ["target"] = "Validate",
            ["outcome"] = "valid",
            ["targets"] = new JsonArray(),
            ["outputs"] = new JsonObject(),
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
}
