using YamlDotNet.RepresentationModel;

namespace ImagePipeline.Samples.Tests.Workflows;

/// <summary>What running the action's steps gave: each step run or skipped, the action's outputs, the job summary.</summary>
internal sealed record CompositeActionRun(
    IReadOnlyList<ShellStepRun> Steps,
    IReadOnlyList<string> Skipped,
    IReadOnlyDictionary<string, string> Outputs,
    string JobSummary)
{
    public bool Succeeded => Steps.All(step => step.ExitCode == 0);

    public string Log => string.Join('\n', Steps.Select(step => $"--- {step.Name} (exit {step.ExitCode})\n{step.Output}"));
}

/// <summary>
/// The repository's action.yml, run as the runner runs a composite action: inputs from <c>with:</c> or their
/// defaults, the <c>run:</c> steps in order (stopping at the first that fails), then the action's <c>outputs:</c>
/// read from the steps' outputs. A <c>uses:</c> step cannot run here; the caller names each one it skips and why.
/// No INPUT_* variable is set: the runner sets them for JavaScript and Docker actions, not for a composite action's
/// run steps, so the action reads its inputs only through <c>env:</c>, and a script relying on INPUT_* fails here too.
/// </summary>
internal sealed class CompositeAction
{
    private readonly YamlMappingNode _action;

    public CompositeAction(string path)
    {
        _action = YamlDocument.Load(path);
        _action.Map("runs").Text("using").Should().Be("composite");
    }

    public IReadOnlyList<string> InputNames => _action.Map("inputs").Keys();

    public IReadOnlyList<YamlMappingNode> Steps => _action.Map("runs").Steps();

    public async Task<CompositeActionRun> RunAsync(
        IReadOnlyDictionary<string, string> with,
        SimulatedRunner runner,
        IReadOnlyDictionary<string, string> skip)
    {
        var inputs = _action.Map("inputs");
        with.Keys.Except(InputNames).Should().BeEmpty("every input given is one the action declares");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in InputNames)
        {
            values[$"inputs.{name}"] = with.TryGetValue(name, out var given) ? given : inputs.Map(name).Text("default") ?? "";
        }

        var expressions = new WorkflowExpressions(values, new HashSet<string>(["inputs"], StringComparer.Ordinal));
        var steps = new List<ShellStepRun>();
        var skipped = new List<string>();
        var summary = new System.Text.StringBuilder();
        foreach (var step in Steps)
        {
            var name = step.Text("name") ?? step.Text("uses") ?? "(unnamed)";
            if (skip.ContainsKey(name))
            {
                skipped.Add(name);
                continue;
            }

            if (step.Has("uses"))
            {
                throw new InvalidOperationException($"Step '{name}' uses {step.Text("uses")}, which cannot run here; name it in skip with the reason.");
            }

            if (step.Has("if"))
            {
                throw new NotSupportedException($"Step '{name}' has an if: condition, which this runner does not evaluate; name it in skip or drop the condition.");
            }

            var run = await runner.RunAsync(step, expressions);
            steps.Add(run);
            summary.Append(run.Summary);
            if (step.Text("id") is { } id)
            {
                foreach (var (output, value) in run.Outputs)
                {
                    expressions.Set($"steps.{id}.outputs.{output}", value);
                }
            }

            if (run.ExitCode != 0)
            {
                break;
            }
        }

        skip.Keys.Except(skipped).Should().BeEmpty("every step the test skips exists in action.yml");
        var outputs = _action.Map("outputs").Keys().ToDictionary(
            name => name,
            name => expressions.Substitute(_action.Map("outputs").Map(name).Text("value") ?? ""),
            StringComparer.Ordinal);
        return new CompositeActionRun(steps, skipped, outputs, summary.ToString());
    }
}
