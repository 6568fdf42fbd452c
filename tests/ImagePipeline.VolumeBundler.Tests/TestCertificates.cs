using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ImagePipeline.VolumeBundler.Tests;

/// <summary>The user's certificate and key, and an "EC2" certificate, as PEM files; the keys stay on the "host".</summary>
internal sealed record TestCertificates(string UserCertificatePath, string PrivateKeyPath, string Ec2CertificatePath)
{
    private static readonly Lazy<(string Certificate, string Key)> User = new(() => Create("user"));
    private static readonly Lazy<(string Certificate, string Key)> Ec2 = new(() => Create("ec2"));

    public string PrivateKeyPem => File.ReadAllText(PrivateKeyPath);

    /// <summary>Writes the certificates into <paramref name="certificateDirectory"/> and the private key into <paramref name="keyDirectory"/>.</summary>
    public static TestCertificates Write(string certificateDirectory, string keyDirectory)
    {
        Directory.CreateDirectory(certificateDirectory);
        var certificates = new TestCertificates(
            Path.Combine(certificateDirectory, "cert-user.pem"),
            Path.Combine(keyDirectory, "pk-user.pem"),
            Path.Combine(certificateDirectory, "cert-ec2.pem"));
        File.WriteAllText(certificates.UserCertificatePath, User.Value.Certificate);
        File.WriteAllText(certificates.PrivateKeyPath, User.Value.Key);
        File.SetUnixFileMode(certificates.PrivateKeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(certificates.Ec2CertificatePath, Ec2.Value.Certificate);
        return certificates;
    }

    private static (string Certificate, string Key) Create(string name)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return (certificate.ExportCertificatePem(), rsa.ExportPkcs8PrivateKeyPem());
    }
}
