using System.Text.Json.Nodes;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Core.Runs;

/// <summary>
/// Everything saved about one run under <c>.nuke/temp/runs/RUN_ID.json</c>: the parameters it was started with
/// (secrets left out), the status of each step, the steps' typed state and the run's outputs.
/// </summary>
public sealed class RunRecord
{
    public required string RunId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public required string Strategy { get; init; }

    public required string Target { get; set; }

    /// <summary>The non-secret parameters the user set, as text; compared on resume.</summary>
    public required Dictionary<string, string> Parameters { get; init; }

    /// <summary>Step id (Target/StepClass) → status, in plan order.</summary>
    public Dictionary<string, StepStatus> Steps { get; init; } = [];

    public JsonObject State { get; set; } = [];

    public Dictionary<string, string> Outputs { get; set; } = [];

    public RunOutcome Outcome { get; set; } = RunOutcome.Running;

    public string? Error { get; set; }

    /// <summary>The process that last ran it: named when a second process is refused the run's lock.</summary>
    public int? ProcessId { get; set; }

    public StepStatus StatusOf(string stepId) => Steps.GetValueOrDefault(stepId, StepStatus.Pending);
}
