using ImagePipeline.Abstractions;
using ImagePipeline.Core.Parameters;
using Microsoft.Extensions.DependencyInjection;

namespace ImagePipeline.Targets;

internal sealed class UnbundleImageTarget() : UtilityTarget(
    "UnbundleImage", "Reassemble the image of a bundle, byte-identical and sparse (--manifest, --x509-key-path, --unbundle-destination).", [.. BundleFileParameters.All, Destination, Overwrite])
{
    public static readonly Parameter<string> Destination = new("unbundle-destination", "UnbundleImage: the folder to write the image to.") { Default = "." };

    public static readonly Parameter<bool> Overwrite = new("overwrite", "UnbundleImage: replace a file of the image's name already in --unbundle-destination.")
    { Default = false };

    public override async Task<int> RunAsync(UtilityContext context, ResolvedParameters parameters, CancellationToken cancellationToken)
    {
        var request = BundleFileParameters.KeyRequest(context, parameters) with { Overwrite = parameters.Get(Overwrite) };
        var destination = context.Environment.FullPath(parameters.Get(Destination));
        using var scope = context.Services.GetRequiredService<IProgressReporter>().Start("Unbundling", null);
        var image = await context.Services.GetRequiredService<IImageBundler>().UnbundleAsync(request, destination, new Progress<long>(scope.Report), cancellationToken);
        context.Console.WriteLine($"Image written to {image}.");
        return Host.ExitCode.Success;
    }
}
