using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>A user key pair with its certificate, and an "EC2" certificate, made in-process as PEM files (keys 0600).</summary>
public sealed record TestKeys(string CertificatePath, string KeyPath, string Ec2CertificatePath, string Ec2KeyPath)
{
    /// <summary>A recognisable line of the user's private key, to search for in bundles, logs and state.</summary>
    public string KeyMarker => File.ReadAllLines(KeyPath)[1];

    public static TestKeys Create(string directory)
    {
        var (certificate, key) = WriteKeyPair(directory, "user");
        var (ec2Certificate, ec2Key) = WriteKeyPair(directory, "ec2");
        return new TestKeys(certificate, key, ec2Certificate, ec2Key);
    }

    /// <summary>Another key pair whose key is encrypted (PKCS#8, AES-256) with <paramref name="passphrase"/>.</summary>
    public TestKeys WithEncryptedKey(string directory, string passphrase)
    {
        var (certificate, key) = WriteKeyPair(directory, "encrypted", passphrase);
        return this with { CertificatePath = certificate, KeyPath = key };
    }

    private static (string Certificate, string Key) WriteKeyPair(string directory, string name, string? passphrase = null)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=imagepipeline-test-{name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var certificatePath = Path.Combine(directory, $"cert-{name}.pem");
        var keyPath = Path.Combine(directory, $"pk-{name}.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(new FileStream(keyPath, options)))
        {
            writer.Write(passphrase is null
                ? rsa.ExportPkcs8PrivateKeyPem()
                : rsa.ExportEncryptedPkcs8PrivateKeyPem(passphrase, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000)));
        }

        return (certificatePath, keyPath);
    }
}
