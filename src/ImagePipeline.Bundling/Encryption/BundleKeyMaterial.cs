using System.Security.Cryptography;
using System.Text;

namespace ImagePipeline.Bundling.Encryption;

/// <summary>
/// The bundle's AES-128 key and IV. What EC2 and the AMI tools exchange are their 32-character lowercase hex strings
/// (KEYHEX, IVHEX), which are what gets RSA-encrypted (PKCS#1 v1.5) into the manifest. Never log these.
/// </summary>
internal sealed class BundleKeyMaterial : IDisposable
{
    private BundleKeyMaterial(byte[] key, byte[] iv)
    {
        Key = key;
        Iv = iv;
    }

    public byte[] Key { get; }

    public byte[] Iv { get; }

    public static BundleKeyMaterial CreateRandom() =>
        new(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16));

    /// <summary>Opens the key and IV from their RSA-wrapped hex strings in a manifest.</summary>
    public static BundleKeyMaterial Unwrap(RSA privateKey, string encryptedKeyHex, string encryptedIvHex)
    {
        var key = UnwrapHex(privateKey, encryptedKeyHex);
        var iv = UnwrapHex(privateKey, encryptedIvHex);
        return new BundleKeyMaterial(key, iv);
    }

    public string WrapKey(RSA publicKey) => Wrap(publicKey, Key);

    public string WrapIv(RSA publicKey) => Wrap(publicKey, Iv);

    public Aes CreateCipher()
    {
        var aes = Aes.Create();
        aes.KeySize = 128;
        aes.Key = Key;
        aes.IV = Iv;
        aes.Mode = CipherMode.CBC;
        aes.Padding = PaddingMode.PKCS7;
        return aes;
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(Key);
        CryptographicOperations.ZeroMemory(Iv);
    }

    private static string Wrap(RSA publicKey, byte[] secret)
    {
        var hex = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(secret));
        try
        {
            return Convert.ToHexStringLower(publicKey.Encrypt(hex, RSAEncryptionPadding.Pkcs1));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(hex);
        }
    }

    private static byte[] UnwrapHex(RSA privateKey, string encryptedHex)
    {
        var hex = privateKey.Decrypt(Convert.FromHexString(encryptedHex.Trim()), RSAEncryptionPadding.Pkcs1);
        try
        {
            var text = Encoding.ASCII.GetString(hex).Trim();
            if (text.Length != 32)
            {
                throw new CryptographicException("The unwrapped key is not 32 hex characters.");
            }

            return Convert.FromHexString(text);
        }
        catch (FormatException ex)
        {
            throw new CryptographicException("The unwrapped key is not hex.", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(hex);
        }
    }
}
