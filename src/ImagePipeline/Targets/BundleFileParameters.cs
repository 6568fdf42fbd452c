using ImagePipeline.Abstractions;
using ImagePipeline.Core.Parameters;

namespace ImagePipeline.Targets;

/// <summary>What VerifyBundle and UnbundleImage both read: the manifest and the key pair that opens the bundle.</summary>
internal static class BundleFileParameters
{
    public static readonly Parameter<string> Manifest = new("manifest", "VerifyBundle, UnbundleImage: the bundle's manifest file (parts beside it).");

    /// <summary>A manifest lists at most the 1,024 parts of a 10 GiB bundle (a few hundred kilobytes); anything far bigger is not one.</summary>
    private const long ManifestLimit = 16 * 1024 * 1024;

    public static IReadOnlyList<ParameterDefinition> All { get; } =
        [Manifest, CommonParameters.X509KeyPath, CommonParameters.X509KeyPassphrase, CommonParameters.X509CertPath];

    public static BundleKeyRequest KeyRequest(UtilityContext context, ResolvedParameters parameters) => new()
    {
        ManifestPath = context.RequireFile(parameters, Manifest, ManifestLimit),
        PrivateKeyPath = context.RequireFile(parameters, CommonParameters.X509KeyPath, InputFile.SmallFileLimit),
        PrivateKeyPassphrase = parameters.GetOrDefault(CommonParameters.X509KeyPassphrase),
        UserCertificatePath = parameters.GetOrDefault(CommonParameters.X509CertPath),
    };
}
