using System.Security.Cryptography;
using System.Text;

namespace ImagePipeline.Bundling.Credentials;

/// <summary>
/// Decrypts a legacy OpenSSL-encrypted PEM body ("Proc-Type: 4,ENCRYPTED" + "DEK-Info: CIPHER,IVHEX"), which .NET does
/// not read: the key is OpenSSL's EVP_BytesToKey with MD5, one iteration, salted with the first 8 bytes of the IV.
/// </summary>
internal static class LegacyPemDecryption
{
    public static byte[] Decrypt(string pem, string passphrase)
    {
        var lines = pem.Split('\n', StringSplitOptions.TrimEntries);
        var dekInfo = lines.FirstOrDefault(line => line.StartsWith("DEK-Info:", StringComparison.Ordinal))
            ?? throw new CryptographicException("The encrypted PEM has no DEK-Info header.");
        var parts = dekInfo["DEK-Info:".Length..].Trim().Split(',');
        if (parts.Length != 2)
        {
            throw new CryptographicException("The encrypted PEM has a malformed DEK-Info header.");
        }

        var iv = Convert.FromHexString(parts[1]);
        var begin = Array.FindIndex(lines, line => line.StartsWith("-----BEGIN", StringComparison.Ordinal));
        var end = Array.FindIndex(lines, line => line.StartsWith("-----END", StringComparison.Ordinal));
        var body = new StringBuilder();
        for (var index = begin + 1; index < end; index++)
        {
            if (lines[index].Length > 0 && !lines[index].Contains(':', StringComparison.Ordinal))
            {
                body.Append(lines[index]);
            }
        }

        var cipherText = Convert.FromBase64String(body.ToString());
        using SymmetricAlgorithm cipher = parts[0].ToUpperInvariant() switch
        {
            "AES-128-CBC" or "AES-192-CBC" or "AES-256-CBC" => Aes.Create(),
            "DES-EDE3-CBC" => TripleDES.Create(),
            _ => throw new NotSupportedException("Unsupported legacy PEM cipher."),
        };
        var keyLength = parts[0].ToUpperInvariant() switch
        {
            "AES-128-CBC" => 16,
            "AES-192-CBC" or "DES-EDE3-CBC" => 24,
            _ => 32,
        };
        var key = DeriveKey(Encoding.UTF8.GetBytes(passphrase), iv.AsSpan(0, 8), keyLength);
        try
        {
            cipher.Key = key;
            return cipher.DecryptCbc(cipherText, iv, PaddingMode.PKCS7);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static byte[] DeriveKey(byte[] passphrase, ReadOnlySpan<byte> salt, int keyLength)
    {
        var key = new byte[keyLength];
        var produced = 0;
        var previous = Array.Empty<byte>();
        while (produced < keyLength)
        {
            var input = new byte[previous.Length + passphrase.Length + salt.Length];
            previous.CopyTo(input, 0);
            passphrase.CopyTo(input, previous.Length);
            salt.CopyTo(input.AsSpan(previous.Length + passphrase.Length));
#pragma warning disable CA5351 // MD5 is what the legacy OpenSSL PEM format uses for key derivation; nothing is protected by it here.
            previous = MD5.HashData(input);
#pragma warning restore CA5351
            CryptographicOperations.ZeroMemory(input);
            var take = Math.Min(previous.Length, keyLength - produced);
            previous.AsSpan(0, take).CopyTo(key.AsSpan(produced));
            produced += take;
        }

        return key;
    }
}
