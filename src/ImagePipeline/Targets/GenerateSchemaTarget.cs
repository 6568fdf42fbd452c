using ImagePipeline.Output;
using ImagePipeline.Core.Parameters;

namespace ImagePipeline.Targets;

internal sealed class GenerateSchemaTarget() : UtilityTarget(
    "GenerateSchema", "Rewrite .nuke/build.schema.json from the parameter definitions (editors complete parameters from it).", [])
{
    public override async Task<int> RunAsync(UtilityContext context, ResolvedParameters parameters, CancellationToken cancellationToken)
    {
        var path = Path.Combine(context.Environment.RootDirectory, BuildSchema.RelativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, BuildSchema.Generate(context.Catalog), cancellationToken);
        context.Console.WriteLine($"Wrote {path} ({context.Catalog.All.Count} parameters).");
        return Host.ExitCode.Success;
    }
}
