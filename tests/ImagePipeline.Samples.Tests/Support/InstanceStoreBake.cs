using System.Security.Cryptography;
using ImagePipeline.Demo;
using ImagePipeline.LocalCloud;

namespace ImagePipeline.Samples.Tests.Support;

/// <summary>
/// The parameters of an instance-store/linux bake against a local cloud at an endpoint: the offline demo's material
/// (a small disk image, throw-away certificates) made in the test's own root, and a bucket and image name of its own.
/// </summary>
internal static class InstanceStoreBake
{
    public static Dictionary<string, string> Parameters(string root, Uri endpoint)
    {
        var unique = Guid.NewGuid().ToString("N")[..10];
        OfflineDemo.MakeMaterial(root);
        var parameters = new Dictionary<string, string>(OfflineDemo.Defaults(root, LocalCloudAccounts.AccountId), StringComparer.Ordinal)
        {
            ["cloud"] = "local",
            ["endpoint-url"] = endpoint.ToString(),
            ["region"] = "us-east-1",
            ["bucket"] = $"samples-tests-{unique}",
            ["ami-name"] = $"samples-tests-{unique}",
            ["poll-delay"] = "0.2",
        };
        return parameters;
    }

    /// <summary>Re-writes the demo key encrypted with <paramref name="passphrase"/>, so --x509-key-passphrase is really used.</summary>
    public static void EncryptKey(IReadOnlyDictionary<string, string> parameters, string passphrase)
    {
        var path = parameters["x509-key-path"];
        using var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(path));
        var encrypted = rsa.ExportEncryptedPkcs8PrivateKeyPem(passphrase, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000));
        File.WriteAllText(path, encrypted + "\n");
    }

    /// <summary>The parameters as the host's command line: the target first, then --name=value.</summary>
    public static string[] CommandLine(string target, IReadOnlyDictionary<string, string> parameters) =>
        [target, .. parameters.Select(pair => $"--{pair.Key}={pair.Value}")];
}
