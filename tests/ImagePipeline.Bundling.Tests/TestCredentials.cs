using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ImagePipeline.Bundling.Tests;

/// <summary>A user key pair with its self-signed certificate, and an "EC2" certificate, written as PEM files (0600).</summary>
public sealed class TestCredentials
{
    private TestCredentials(string userCertificatePath, string privateKeyPath, string ec2CertificatePath, string ec2PrivateKeyPath)
    {
        UserCertificatePath = userCertificatePath;
        PrivateKeyPath = privateKeyPath;
        Ec2CertificatePath = ec2CertificatePath;
        Ec2PrivateKeyPath = ec2PrivateKeyPath;
    }

    public string UserCertificatePath { get; }

    /// <summary>PKCS#8, unencrypted.</summary>
    public string PrivateKeyPath { get; }

    public string Ec2CertificatePath { get; }

    public string Ec2PrivateKeyPath { get; }

    // RSA key generation is the slow part of a test's setup; the two standard key pairs are made once per test run.
    private static readonly Lazy<(string Certificate, string Key)> UserPem = new(() => CreatePem("user"));
    private static readonly Lazy<(string Certificate, string Key)> Ec2Pem = new(() => CreatePem("ec2"));

    public static TestCredentials Create(string directory)
    {
        var user = (Certificate: Path.Combine(directory, "cert-user.pem"), Key: Path.Combine(directory, "pk-user.pem"));
        var ec2 = (Certificate: Path.Combine(directory, "cert-ec2.pem"), Key: Path.Combine(directory, "pk-ec2.pem"));
        File.WriteAllText(user.Certificate, UserPem.Value.Certificate);
        WriteSecret(user.Key, UserPem.Value.Key);
        File.WriteAllText(ec2.Certificate, Ec2Pem.Value.Certificate);
        WriteSecret(ec2.Key, Ec2Pem.Value.Key);
        return new TestCredentials(user.Certificate, user.Key, ec2.Certificate, ec2.Key);
    }

    private static (string Certificate, string Key) CreatePem(string name)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return (certificate.ExportCertificatePem(), rsa.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Writes cert-NAME.pem and pk-NAME.pem for a new RSA 2048 key pair; returns their paths.</summary>
    public static (string CertificatePath, string KeyPath) WriteKeyPair(string directory, string name, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        var certificatePath = Path.Combine(directory, $"cert-{name}.pem");
        var keyPath = Path.Combine(directory, $"pk-{name}.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        WriteSecret(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    public static void WriteSecret(string path, string content)
    {
        using (File.Create(path))
        {
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(path, content);
    }
}
