using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Bundling.Credentials;

/// <summary>
/// Opens the user's and EC2's certificates and the user's RSA private key from PEM files: PKCS#1 or PKCS#8, plain,
/// encrypted PKCS#8 ("ENCRYPTED PRIVATE KEY") or legacy OpenSSL-encrypted PKCS#1 ("Proc-Type: 4,ENCRYPTED").
/// Errors are user-facing and never contain key material or the passphrase.
/// </summary>
internal static class PemCredentialLoader
{
    public static X509Certificate2 LoadCertificate(string path, string role)
    {
        byte[] content;
        try
        {
            content = InputFile.ReadAllBytes(path, $"The {role} certificate '{path}'");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw PipelineException.Input($"The {role} certificate '{path}' cannot be read ({ex.Message}); pass the path of a readable PEM certificate file.", ex);
        }

        try
        {
            var text = Encoding.ASCII.GetString(content);
            return text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(text)
                : X509CertificateLoader.LoadCertificate(content);
        }
        catch (CryptographicException ex)
        {
            throw PipelineException.Input($"The {role} certificate '{path}' is not a valid X.509 certificate; pass a PEM file that begins with '-----BEGIN CERTIFICATE-----'.", ex);
        }
    }

    public static RSA RequireRsaPublicKey(X509Certificate2 certificate, string path, string role) =>
        certificate.GetRSAPublicKey()
        ?? throw PipelineException.Input($"The {role} certificate '{path}' does not hold an RSA key; bundles need an RSA certificate, so use the one issued with your RSA key pair.");

    public static RSA LoadPrivateKey(string path, string? passphrase)
    {
        string text;
        try
        {
            text = Encoding.ASCII.GetString(InputFile.ReadAllBytes(path, $"The private key '{path}'"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw PipelineException.Input($"The private key '{path}' cannot be read ({ex.Message}); pass the path of a readable PEM private key file.", ex);
        }

        var rsa = RSA.Create();
        try
        {
            if (text.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal))
            {
                RequirePassphrase(path, passphrase);
                try
                {
                    rsa.ImportFromEncryptedPem(text, passphrase);
                }
                catch (CryptographicException ex)
                {
                    throw WrongPassphrase(path, ex);
                }
            }
            else if (text.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
            {
                RequirePassphrase(path, passphrase);
                byte[] der;
                try
                {
                    der = LegacyPemDecryption.Decrypt(text, passphrase!);
                }
                catch (CryptographicException ex)
                {
                    throw WrongPassphrase(path, ex);
                }
                catch (NotSupportedException ex)
                {
                    throw PipelineException.Input($"The private key '{path}' is encrypted with a cipher this tool does not read; convert it with 'openssl pkcs8 -topk8 -in KEY -out KEY.p8' and pass that file.", ex);
                }

                try
                {
                    rsa.ImportRSAPrivateKey(der, out _);
                }
                catch (CryptographicException ex)
                {
                    throw WrongPassphrase(path, ex);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(der);
                }
            }
            else
            {
                try
                {
                    rsa.ImportFromPem(text);
                }
                catch (ArgumentException ex)
                {
                    throw PipelineException.Input($"The private key '{path}' is not a PEM RSA private key; pass a file that begins with '-----BEGIN RSA PRIVATE KEY-----' or '-----BEGIN PRIVATE KEY-----'.", ex);
                }
                catch (CryptographicException ex)
                {
                    throw PipelineException.Input($"The private key '{path}' is not a valid RSA private key; pass the RSA key that belongs to your certificate.", ex);
                }
            }

            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    /// <summary>True when the key's public half is the certificate's public key.</summary>
    public static bool KeyMatchesCertificate(RSA privateKey, RSA certificatePublicKey)
    {
        var fromKey = privateKey.ExportParameters(includePrivateParameters: false);
        var fromCertificate = certificatePublicKey.ExportParameters(includePrivateParameters: false);
        return fromKey.Modulus.AsSpan().SequenceEqual(fromCertificate.Modulus)
            && fromKey.Exponent.AsSpan().SequenceEqual(fromCertificate.Exponent);
    }

    private static void RequirePassphrase(string path, string? passphrase)
    {
        if (string.IsNullOrEmpty(passphrase))
        {
            throw PipelineException.Input($"The private key '{path}' is encrypted and no passphrase was given; pass the key's passphrase.");
        }
    }

    private static PipelineException WrongPassphrase(string path, Exception inner) =>
        PipelineException.Input($"The private key '{path}' could not be decrypted: the passphrase is wrong; pass the passphrase the key was encrypted with.", inner);
}
