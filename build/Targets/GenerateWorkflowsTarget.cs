using ImagePipeline.Build.Workflows;
using ImagePipeline.Core.Parameters;

namespace ImagePipeline.Build.Targets;

internal sealed class GenerateWorkflowsTarget() : UtilityTarget(
    "GenerateWorkflows", "Rewrite .github/workflows/ from the CI declarations in build/Workflows/.", [])
{
    public override async Task<int> RunAsync(UtilityContext context, ResolvedParameters parameters, CancellationToken cancellationToken)
    {
        var workflow = BakeImageWorkflow.Definition;
        var path = Path.Combine(context.Environment.RootDirectory, workflow.RelativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, GitHubWorkflowWriter.Render(workflow), cancellationToken);
        context.Console.WriteLine($"Wrote {path}.");
        return Host.ExitCode.Success;
    }
}
