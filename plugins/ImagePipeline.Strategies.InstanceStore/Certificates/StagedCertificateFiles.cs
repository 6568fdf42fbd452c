namespace ImagePipeline.Strategies.InstanceStore.Certificates;

/// <summary>The names the certificate and key get in a staging folder, here or on an instance.</summary>
public sealed record StagedCertificateFiles(string Directory, string CertificatePath, string KeyPath)
{
    public const string CertificateFileName = "cert.pem";
    public const string KeyFileName = "pk.pem";

    public static StagedCertificateFiles InLocalDirectory(string directory) =>
        new(directory, Path.Combine(directory, CertificateFileName), Path.Combine(directory, KeyFileName));

    /// <summary>On an instance the paths are POSIX whatever this host runs.</summary>
    public static StagedCertificateFiles InRemoteDirectory(string directory) =>
        new(directory, directory.TrimEnd('/') + "/" + CertificateFileName, directory.TrimEnd('/') + "/" + KeyFileName);
}
