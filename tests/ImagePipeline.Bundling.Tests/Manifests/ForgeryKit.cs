using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ImagePipeline.Bundling.Credentials;
using ImagePipeline.Testing.Images;

namespace ImagePipeline.Bundling.Tests.Manifests;

/// <summary>
/// What an attacker holds: one genuine signed manifest of the victim, the victim's public certificate, and a payload of
/// their own (a bundle of another image, whose key is wrapped for the victim's certificate so the victim's private key
/// opens it). No private key of the victim is used to make any forgery.
/// </summary>
public sealed class ForgeryKit : IAsyncLifetime
{
    public BundleScenario Victim { get; } = new();

    /// <summary>The victim's manifest, as bundled.</summary>
    public string GenuineText { get; private set; } = string.Empty;

    public string GenuineMachine { get; private set; } = string.Empty;

    public string GenuineImage { get; private set; } = string.Empty;

    public string GenuineSignature { get; private set; } = string.Empty;

    /// <summary>An &lt;image&gt; element describing the attacker's parts (evil.img.part.*), openable with the victim's key.</summary>
    public string ForgedImage { get; private set; } = string.Empty;

    public string AttackerPayloadSha256 { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        TestImages.WriteRandom(Victim.ImagePath, 5000);
        var genuine = await Victim.BundleAsync();
        var manifest = new ManifestText(genuine.ManifestPath);
        GenuineText = manifest.Text;
        GenuineMachine = Cut(GenuineText, "machine_configuration");
        GenuineImage = Cut(GenuineText, "image");
        GenuineSignature = manifest.Signature;

        // The attacker bundles their own image with their own key pair, then wraps its AES key for the victim.
        using var attacker = new BundleScenario();
        TestImages.WriteRandom(attacker.ImagePath, 7000, seed: 99);
        AttackerPayloadSha256 = ImageAssertions.Sha256(attacker.ImagePath);
        var evil = await attacker.BundleAsync(attacker.Request("evil.img"));
        foreach (var part in evil.Parts)
        {
            File.Copy(part.Path, Path.Combine(Victim.BundleDirectory, part.FileName));
        }

        var evilManifest = new ManifestText(evil.ManifestPath);
        using var attackerKey = RSA.Create();
        attackerKey.ImportFromPem(await File.ReadAllTextAsync(attacker.Credentials.PrivateKeyPath));
        using var victimCertificate = PemCredentialLoader.LoadCertificate(Victim.Credentials.UserCertificatePath, "user");
        using var victimPublicKey = victimCertificate.GetRSAPublicKey()!;
        ForgedImage = Cut(evilManifest.Text, "image")
            .Replace(evilManifest.Value("user_encrypted_key"), Rewrap(evilManifest.Value("user_encrypted_key"), attackerKey, victimPublicKey), StringComparison.Ordinal)
            .Replace(evilManifest.Value("user_encrypted_iv"), Rewrap(evilManifest.Value("user_encrypted_iv"), attackerKey, victimPublicKey), StringComparison.Ordinal);
    }

    public Task DisposeAsync()
    {
        Victim.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The text before the victim's &lt;machine_configuration&gt;: declaration, version, bundler.</summary>
    public string Head => GenuineText[..GenuineText.IndexOf("<machine_configuration>", StringComparison.Ordinal)];

    public string SignatureElement => $"<signature>{GenuineSignature}</signature>";

    /// <summary>Writes <paramref name="text"/> as a manifest beside the victim's and attacker's parts; returns its path.</summary>
    public string WriteManifest(string name, byte[] content)
    {
        var path = Path.Combine(Victim.BundleDirectory, name + ".manifest.xml");
        File.WriteAllBytes(path, content);
        return path;
    }

    private static string Rewrap(string wrappedHex, RSA attackerKey, RSA victimPublicKey) =>
        Convert.ToHexStringLower(victimPublicKey.Encrypt(attackerKey.Decrypt(Convert.FromHexString(wrappedHex), RSAEncryptionPadding.Pkcs1), RSAEncryptionPadding.Pkcs1));

    private static string Cut(string text, string element)
    {
        var start = text.IndexOf($"<{element}>", StringComparison.Ordinal);
        var close = $"</{element}>";
        var end = text.IndexOf(close, start, StringComparison.Ordinal) + close.Length;
        return text[start..end];
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
