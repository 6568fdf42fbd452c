using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ImagePipeline.Abstractions;
using ImagePipeline.Bundling.Credentials;

namespace ImagePipeline.Bundling.Encryption;

/// <summary>
/// Whom a new bundle is for: the public keys of the user's and EC2's certificates, and the fresh bundle key and IV that
/// are encrypted for both of them (the manifest carries the four results).
/// </summary>
internal sealed class BundleRecipients : IDisposable
{
    private readonly X509Certificate2 _userCertificate;
    private readonly X509Certificate2 _ec2Certificate;

    private BundleRecipients(X509Certificate2 userCertificate, X509Certificate2 ec2Certificate, RSA user, RSA ec2, BundleKeyMaterial keyMaterial)
    {
        _userCertificate = userCertificate;
        _ec2Certificate = ec2Certificate;
        User = user;
        Ec2 = ec2;
        KeyMaterial = keyMaterial;
    }

    public RSA User { get; }

    public RSA Ec2 { get; }

    public BundleKeyMaterial KeyMaterial { get; }

    /// <summary>Loads both certificates of <paramref name="request"/> (refusing one without an RSA key) and makes a random bundle key.</summary>
    public static BundleRecipients Load(KeylessBundleRequest request)
    {
        var userCertificate = PemCredentialLoader.LoadCertificate(request.UserCertificatePath, "user");
        X509Certificate2? ec2Certificate = null;
        RSA? user = null;
        try
        {
            ec2Certificate = PemCredentialLoader.LoadCertificate(request.Ec2CertificatePath, "EC2");
            user = PemCredentialLoader.RequireRsaPublicKey(userCertificate, request.UserCertificatePath, "user");
            var ec2 = PemCredentialLoader.RequireRsaPublicKey(ec2Certificate, request.Ec2CertificatePath, "EC2");
            return new BundleRecipients(userCertificate, ec2Certificate, user, ec2, BundleKeyMaterial.CreateRandom());
        }
        catch
        {
            user?.Dispose();
            ec2Certificate?.Dispose();
            userCertificate.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        KeyMaterial.Dispose();
        Ec2.Dispose();
        User.Dispose();
        _ec2Certificate.Dispose();
        _userCertificate.Dispose();
    }
}
