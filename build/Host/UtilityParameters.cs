using ImagePipeline.Abstractions;

namespace ImagePipeline.Build.Host;

/// <summary>Parameters of the utility targets.</summary>
internal static class UtilityParameters
{
    public static readonly Parameter<int> Port = new(
        "port", "LocalCloud: the port to listen on (127.0.0.1).", value => value is < 1 or > 65535 ? "--port must be between 1 and 65535." : null)
    { Default = 4566 };

    public static readonly Parameter<string> Manifest = new("manifest", "VerifyBundle, UnbundleImage: the bundle's manifest file (parts beside it).");

    public static readonly Parameter<string> UnbundleDestination = new("unbundle-destination", "UnbundleImage: the folder to write the image to.") { Default = "." };

    public static readonly Parameter<string> KeyPath = new("x509-key-path", "The RSA private key (PEM, PKCS#1 or PKCS#8) matching the X.509 certificate.");

    public static readonly Parameter<string> KeyPassphrase = new("x509-key-passphrase", "The passphrase of an encrypted private key.") { IsSecret = true };

    public static readonly Parameter<string> CertificatePath = new("x509-cert-path", "The X.509 certificate (PEM) whose key signs and opens the bundle.");

    public static readonly Parameter<bool> Overwrite = new("overwrite", "UnbundleImage: replace a file of the image's name already in --unbundle-destination.")
    { Default = false };

    public static IReadOnlyList<ParameterDefinition> All { get; } = [Port, Manifest, UnbundleDestination, Overwrite, KeyPath, KeyPassphrase, CertificatePath];
}
