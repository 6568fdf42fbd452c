using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ImagePipeline.Build.Tests;

/// <summary>Certificates and keys for the bad-input cases, written as PEM files into a folder.</summary>
public sealed class TestKeyMaterial
{
    public const string Passphrase = "right-passphrase";

    public TestKeyMaterial(string folder)
    {
        Directory.CreateDirectory(folder);
        using var rsa = RSA.Create(2048);
        using var other = RSA.Create(2048);
        Certificate = Write(folder, "cert.pem", SelfSigned(rsa, "CN=user", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)).ExportCertificatePem());
        Key = Write(folder, "key.pem", rsa.ExportPkcs8PrivateKeyPem());
        Ec2Certificate = Write(folder, "cert-ec2.pem", SelfSigned(other, "CN=ec2", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)).ExportCertificatePem());
        OtherKey = Write(folder, "other-key.pem", other.ExportPkcs8PrivateKeyPem());
        EncryptedKey = Write(folder, "encrypted-key.pem", rsa.ExportEncryptedPkcs8PrivateKeyPem(Passphrase, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000)));
        ExpiredCertificate = Write(folder, "expired-cert.pem", SelfSigned(rsa, "CN=expired", DateTimeOffset.UtcNow.AddYears(-2), DateTimeOffset.UtcNow.AddYears(-1)).ExportCertificatePem());
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        EcdsaCertificate = Write(folder, "ecdsa-cert.pem", new CertificateRequest("CN=ecdsa", ecdsa, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)).ExportCertificatePem());
        EcdsaKey = Write(folder, "ecdsa-key.pem", ecdsa.ExportPkcs8PrivateKeyPem());
        NotPem = Write(folder, "not-pem.pem", "this is not a PEM file\n");
        Image = Path.Combine(folder, "disk.img");
        using (var stream = File.Create(Image))
        {
            stream.SetLength(4 * 1024 * 1024);
            stream.Write(RandomNumberGenerator.GetBytes(64 * 1024));
        }

        EmptyImage = Write(folder, "empty.img", string.Empty);
    }

    public string Certificate { get; }

    public string Key { get; }

    public string Ec2Certificate { get; }

    public string OtherKey { get; }

    public string EncryptedKey { get; }

    public string ExpiredCertificate { get; }

    public string EcdsaCertificate { get; }

    public string EcdsaKey { get; }

    public string NotPem { get; }

    public string Image { get; }

    public string EmptyImage { get; }

    private static X509Certificate2 SelfSigned(RSA rsa, string subject, DateTimeOffset from, DateTimeOffset to) =>
        new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(from, to);

    private static string Write(string folder, string name, string text)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }
}
