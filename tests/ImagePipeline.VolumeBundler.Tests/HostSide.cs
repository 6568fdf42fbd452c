using System.Text.Json;
using ImagePipeline.Abstractions;
using ImagePipeline.Bundling;
using ImagePipeline.VolumeBundler.Reporting;

namespace ImagePipeline.VolumeBundler.Tests;

/// <summary>What the host does with the volume bundler's result: seal the manifest with the private key, then unbundle.</summary>
internal static class HostSide
{
    public static UnsignedBundle Bundle(AgentResult run) =>
        ((ResultEvent)JsonSerializer.Deserialize(run.Result.GetRawText(), ReportJsonContext.Default.VolumeBundlerEvent)!).Bundle;

    /// <summary>Seals the manifest beside the parts and unbundles into <paramref name="restoreDirectory"/>; returns the image's path.</summary>
    public static async Task<string> SealAndUnbundleAsync(UnsignedBundle bundle, TestCertificates certificates, string restoreDirectory)
    {
        var manifest = await new ManifestSealer().WriteAsync(
            bundle,
            new ManifestSealRequest { AccountId = "123456789012", PrivateKeyPath = certificates.PrivateKeyPath },
            Path.GetDirectoryName(bundle.Parts[0].Path)!,
            CancellationToken.None);
        return await new ImageBundler().UnbundleAsync(
            new BundleKeyRequest { ManifestPath = manifest, PrivateKeyPath = certificates.PrivateKeyPath, UserCertificatePath = certificates.UserCertificatePath },
            restoreDirectory,
            null,
            CancellationToken.None);
    }
}
