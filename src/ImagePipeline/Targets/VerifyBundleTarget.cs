using ImagePipeline.Abstractions;
using ImagePipeline.Core.Parameters;
using Microsoft.Extensions.DependencyInjection;

namespace ImagePipeline.Targets;

internal sealed class VerifyBundleTarget() : UtilityTarget(
    "VerifyBundle", "Check a bundle: parts, digests, signature and the decrypted stream (--manifest, --x509-key-path).", BundleFileParameters.All)
{
    public override async Task<int> RunAsync(UtilityContext context, ResolvedParameters parameters, CancellationToken cancellationToken)
    {
        var request = BundleFileParameters.KeyRequest(context, parameters);
        using var scope = context.Services.GetRequiredService<IProgressReporter>().Start("Verifying", null);
        var verified = await context.Services.GetRequiredService<IImageBundler>().VerifyAsync(request, new Progress<long>(scope.Report), cancellationToken);
        context.Console.WriteLine($"Bundle {verified.Name} is intact: {verified.PartCount} parts, {verified.BundledSize} bytes, image {verified.ImageSize} bytes, {verified.Architecture}, account {verified.AccountId}, tar SHA-1 {verified.TarDigestSha1}; signature checked.");
        return Host.ExitCode.Success;
    }
}
