using System.Security.Cryptography;
using System.Text;

namespace ImagePipeline.LocalCloud.Ec2.KeyPairs;

/// <summary>PuTTY's private key file, version 2, unencrypted: the blobs in base64 and an HMAC-SHA-1 over them.</summary>
internal static class PuttyKey
{
    public static string Write(string algorithm, string comment, byte[] publicBlob, byte[] privateBlob)
    {
        // With no passphrase the MAC key is SHA-1 of the fixed string alone.
        var macKey = SHA1.HashData("putty-private-key-file-mac-key"u8);
        var macData = new SshWireWriter().String(algorithm).String("none").String(Encoding.UTF8.GetBytes(comment))
            .String(publicBlob).String(privateBlob).ToArray();
        var mac = Convert.ToHexStringLower(HMACSHA1.HashData(macKey, macData));
        var publicLines = KeyMaterial.Wrap(Convert.ToBase64String(publicBlob), 64);
        var privateLines = KeyMaterial.Wrap(Convert.ToBase64String(privateBlob), 64);
        return $"PuTTY-User-Key-File-2: {algorithm}\nEncryption: none\nComment: {comment}\n"
            + $"Public-Lines: {Lines(publicLines)}\n{publicLines}"
            + $"Private-Lines: {Lines(privateLines)}\n{privateLines}"
            + $"Private-MAC: {mac}\n";
    }

    private static int Lines(string wrapped) => wrapped.Count(c => c == '\n');
}
