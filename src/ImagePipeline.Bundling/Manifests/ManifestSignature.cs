using System.Security.Cryptography;
using System.Text;

namespace ImagePipeline.Bundling.Manifests;

/// <summary>
/// The manifest signature: RSA PKCS#1 v1.5 with SHA-1 over the serialized <c>&lt;machine_configuration&gt;…&lt;/machine_configuration&gt;</c>
/// substring (empty if absent) followed by the <c>&lt;image&gt;…&lt;/image&gt;</c> substring, cut from the manifest text.
/// </summary>
internal static class ManifestSignature
{
    public static string SignedText(string manifestText) =>
        CutOut(manifestText, "machine_configuration") + CutOut(manifestText, "image");

    public static string Sign(RSA privateKey, string signedText) =>
        Convert.ToHexStringLower(privateKey.SignData(Encoding.UTF8.GetBytes(signedText), HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1));

    public static bool Verify(RSA publicKey, string signedText, string signatureHex)
    {
        byte[] signature;
        try
        {
            signature = Convert.FromHexString(signatureHex.Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        return publicKey.VerifyData(Encoding.UTF8.GetBytes(signedText), signature, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
    }

    private static string CutOut(string text, string element)
    {
        var open = "<" + element + ">";
        var close = "</" + element + ">";
        var start = text.IndexOf(open, StringComparison.Ordinal);
        if (start < 0)
        {
            return string.Empty;
        }

        var end = text.IndexOf(close, start, StringComparison.Ordinal);
        return end < 0 ? string.Empty : text[start..(end + close.Length)];
    }
}
