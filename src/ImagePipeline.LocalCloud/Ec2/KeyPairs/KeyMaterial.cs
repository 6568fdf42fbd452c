using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace ImagePipeline.LocalCloud.Ec2.KeyPairs;

/// <summary>A key pair as CreateKeyPair hands it out: the private key text, and what EC2 keeps.</summary>
internal sealed record GeneratedKey(string PrivateKey, string PublicKey, string Fingerprint);

/// <summary>A public key a caller imported.</summary>
internal sealed record ImportedKey(string KeyType, string PublicKey, string Fingerprint);

/// <summary>
/// Makes and reads keys the way EC2 does. Fingerprints as EC2 documents them: a created RSA key, the SHA-1 of its
/// PKCS#8 DER private key; an imported RSA key, the MD5 of its public key blob (RFC 4716 section 4); ED25519 keys,
/// the base64 SHA-256 of the public key blob (as OpenSSH shows it). RSA private keys are PKCS#1 PEM (2048 bits),
/// ED25519 private keys OpenSSH's format; both also as PuTTY's .ppk (version 2, unencrypted).
/// </summary>
internal static class KeyMaterial
{
    public static GeneratedKey CreateRsa(string keyName, string format)
    {
        using var rsa = RSA.Create(2048);
        var p = rsa.ExportParameters(includePrivateParameters: true);
        var publicBlob = new SshWireWriter().String("ssh-rsa").MPInt(p.Exponent).MPInt(p.Modulus).ToArray();
        var privateKey = format == "ppk"
            ? PuttyKey.Write("ssh-rsa", keyName, publicBlob, new SshWireWriter().MPInt(p.D).MPInt(p.P).MPInt(p.Q).MPInt(p.InverseQ).ToArray())
            : rsa.ExportRSAPrivateKeyPem() + "\n";
        var fingerprint = ColonHex(SHA1.HashData(rsa.ExportPkcs8PrivateKey()));
        return new GeneratedKey(privateKey, OpenSshLine(publicBlob, keyName), fingerprint);
    }

    public static GeneratedKey CreateEd25519(string keyName, string format)
    {
        var privateKey = new Ed25519PrivateKeyParameters(new SecureRandom());
        var seed = privateKey.GetEncoded();
        var publicKey = privateKey.GeneratePublicKey().GetEncoded();
        var publicBlob = new SshWireWriter().String("ssh-ed25519").String(publicKey).ToArray();
        var text = format == "ppk"
            ? PuttyKey.Write("ssh-ed25519", keyName, publicBlob, new SshWireWriter().MPInt(seed).ToArray())
            : OpenSshPrivateKey(publicBlob, publicKey, seed, keyName);
        return new GeneratedKey(text, OpenSshLine(publicBlob, keyName), Sha256Fingerprint(publicBlob));
    }

    /// <summary>
    /// Reads an OpenSSH public key line (<c>ssh-rsa AAAA… comment</c>) or an RFC 4716 block; only RSA (1024 bits or
    /// more) and ED25519 keys are accepted, as EC2 accepts them. Null when the text is none of these.
    /// </summary>
    public static ImportedKey? Import(string text, string keyName)
    {
        var blob = ReadPublicBlob(text.Trim());
        if (blob is null)
        {
            return null;
        }

        try
        {
            var reader = new SshWireReader(blob);
            var type = reader.Text();
            switch (type)
            {
                case "ssh-rsa":
                    var exponent = reader.String();
                    var modulus = reader.String();
                    var bits = (modulus.Length - (modulus.Length > 0 && modulus[0] == 0 ? 1 : 0)) * 8;
                    return reader.AtEnd && exponent.Length > 0 && bits >= 1024
                        ? new ImportedKey("rsa", OpenSshLine(blob, keyName), ColonHex(MD5.HashData(blob)))
                        : null;
                case "ssh-ed25519":
                    return reader.String().Length == 32 && reader.AtEnd
                        ? new ImportedKey("ed25519", OpenSshLine(blob, keyName), Sha256Fingerprint(blob))
                        : null;
                default:
                    return null;
            }
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static byte[]? ReadPublicBlob(string text)
    {
        string base64;
        if (text.StartsWith("---- BEGIN SSH2 PUBLIC KEY ----", StringComparison.Ordinal))
        {
            var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            if (lines[^1] != "---- END SSH2 PUBLIC KEY ----")
            {
                return null;
            }

            // Header lines (Comment: …) may continue with a trailing backslash.
            var body = new StringBuilder();
            var inHeader = false;
            foreach (var line in lines.Skip(1).SkipLast(1))
            {
                if (inHeader || line.Contains(':', StringComparison.Ordinal))
                {
                    inHeader = line.EndsWith('\\');
                    continue;
                }

                body.Append(line);
            }

            base64 = body.ToString();
        }
        else
        {
            var fields = text.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2)
            {
                return null;
            }

            base64 = fields[1];
        }

        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string OpenSshPrivateKey(byte[] publicBlob, byte[] publicKey, byte[] seed, string comment)
    {
        var check = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
        var secret = new SshWireWriter().UInt32(check).UInt32(check).String("ssh-ed25519").String(publicKey)
            .String([.. seed, .. publicKey]).String(comment);
        for (byte pad = 1; secret.Length % 8 != 0; pad++)
        {
            secret.Raw([pad]);
        }

        var file = new SshWireWriter().Raw("openssh-key-v1\0"u8).String("none").String("none").String("").UInt32(1)
            .String(publicBlob).String(secret.ToArray()).ToArray();
        return "-----BEGIN OPENSSH PRIVATE KEY-----\n" + Wrap(Convert.ToBase64String(file), 70) + "-----END OPENSSH PRIVATE KEY-----\n";
    }

    private static string OpenSshLine(byte[] publicBlob, string comment)
    {
        var type = new SshWireReader(publicBlob).Text();
        return $"{type} {Convert.ToBase64String(publicBlob)} {comment}";
    }

    private static string Sha256Fingerprint(byte[] publicBlob) => Convert.ToBase64String(SHA256.HashData(publicBlob));

    private static string ColonHex(byte[] digest) => string.Join(':', digest.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    internal static string Wrap(string text, int width)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < text.Length; i += width)
        {
            builder.Append(text, i, Math.Min(width, text.Length - i)).Append('\n');
        }

        return builder.ToString();
    }
}
