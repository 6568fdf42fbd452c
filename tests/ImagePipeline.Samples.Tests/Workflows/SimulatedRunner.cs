using ImagePipeline.Samples.Tests.Output;
using ImagePipeline.Samples.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace ImagePipeline.Samples.Tests.Workflows;

/// <summary>What one <c>run:</c> step printed and left in the runner's files.</summary>
internal sealed record ShellStepRun(
    string Name,
    int ExitCode,
    string Output,
    IReadOnlyDictionary<string, string> Outputs,
    IReadOnlyDictionary<string, string> ExportedVariables,
    IReadOnlyList<string> AddedPath,
    string Summary);

/// <summary>
/// Runs <c>run:</c> steps the way GitHub's runner does on Linux: the step's <c>env:</c> with its expressions
/// substituted, the script in a file run by <c>bash --noprofile --norc -eo pipefail</c> in GITHUB_WORKSPACE, and
/// fresh GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH and GITHUB_STEP_SUMMARY files for each step, read back afterwards.
/// </summary>
internal sealed class SimulatedRunner
{
    private readonly string _commandFiles;
    private int _stepNumber;

    public SimulatedRunner(string workspace, string temp)
    {
        Workspace = workspace;
        Temp = temp;
        _commandFiles = Path.Combine(temp, "_runner_file_commands");
        Directory.CreateDirectory(_commandFiles);
    }

    public string Workspace { get; }

    public string Temp { get; }

    /// <summary>The variables every step sees: the ones GitHub sets, and those earlier steps exported.</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>Folders earlier steps added with GITHUB_PATH, the latest first.</summary>
    public List<string> PathPrefix { get; } = [];

    public async Task<ShellStepRun> RunAsync(YamlMappingNode step, WorkflowExpressions expressions)
    {
        var name = step.Text("name") ?? step.Text("id") ?? "(unnamed)";
        var script = step.Text("run") ?? throw new InvalidOperationException($"Step '{name}' has no run: script.");
        step.Text("shell").Should().Be("bash", $"step '{name}' names its shell, as a composite action must");
        script.Should().NotContain("${{", $"step '{name}' passes values through env:, never as expressions in the script (injection)");
        var number = ++_stepNumber;
        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GITHUB_OUTPUT"] = Path.Combine(_commandFiles, $"set_output_{number}"),
            ["GITHUB_ENV"] = Path.Combine(_commandFiles, $"set_env_{number}"),
            ["GITHUB_PATH"] = Path.Combine(_commandFiles, $"add_path_{number}"),
            ["GITHUB_STEP_SUMMARY"] = Path.Combine(_commandFiles, $"step_summary_{number}"),
        };
        foreach (var file in files.Values)
        {
            File.WriteAllText(file, "");
        }

        var scriptPath = Path.Combine(Temp, $"step-{number}.sh");
        File.WriteAllText(scriptPath, script);

        var environment = new Dictionary<string, string>(Environment, StringComparer.Ordinal)
        {
            ["GITHUB_ACTIONS"] = "true",
            ["CI"] = "true",
            ["GITHUB_WORKSPACE"] = Workspace,
            ["RUNNER_TEMP"] = Temp,
            ["RUNNER_OS"] = "Linux",
            ["PATH"] = string.Join(':', PathPrefix.Append(System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")),
        };
        foreach (var (variable, file) in files)
        {
            environment[variable] = file;
        }

        foreach (var (variable, value) in step.Scalars("env"))
        {
            environment[variable] = expressions.Substitute(value);
        }

        var process = await ChildProcess.RunAsync(
            "bash", ["--noprofile", "--norc", "-eo", "pipefail", scriptPath], Workspace, environment, TimeSpan.FromMinutes(5));

        var exported = GitHubOutputFile.Read(files["GITHUB_ENV"]);
        foreach (var (variable, value) in exported)
        {
            Environment[variable] = value;
        }

        var added = File.ReadAllLines(files["GITHUB_PATH"]).Where(line => line.Length > 0).ToList();
        PathPrefix.InsertRange(0, Enumerable.Reverse(added));

        return new ShellStepRun(
            name,
            process.ExitCode,
            process.Output,
            GitHubOutputFile.Read(files["GITHUB_OUTPUT"]),
            exported,
            added,
            File.ReadAllText(files["GITHUB_STEP_SUMMARY"]));
    }
}
