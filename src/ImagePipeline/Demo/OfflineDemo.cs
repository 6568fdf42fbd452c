using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Demo;

/// <summary>
/// The material for the offline bake (<c>./build.sh RegisterImage</c> with nothing else): a small sample disk image and a
/// throw-away certificate and key, clearly named as demo material, made once under <c>.nuke/temp/demo/</c> when a run
/// first needs them (never by <c>--plan</c>). Only used against the local cloud and only for parameters the user did not set.
/// </summary>
internal static class OfflineDemo
{
    public const string Bucket = "imagepipeline-demo-bundles";

    private const long ImageSize = 64L * 1024 * 1024;
    private const string ImageFile = "demo-disk.img";
    private const string CertificateFile = "DEMO-ONLY-user-cert.pem";
    private const string KeyFile = "DEMO-ONLY-user-key.pem";
    private const string Ec2CertificateFile = "DEMO-ONLY-ec2-cert.pem";

    /// <summary>
    /// The parameter values the demo supplies (as text), for every one the user did not set; nothing is written (see
    /// <see cref="MakeMaterial"/>). The image name is unique to the run, so two demo bakes started in the same second
    /// do not ask for one name.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Defaults(string root, string accountId)
    {
        var folder = Folder(root);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["image-file"] = Path.Combine(folder, ImageFile),
            ["x509-cert-path"] = Path.Combine(folder, CertificateFile),
            ["x509-key-path"] = Path.Combine(folder, KeyFile),
            ["ec2-cert-path"] = Path.Combine(folder, Ec2CertificateFile),
            ["account-id"] = accountId,
            ["bucket"] = Bucket,
            ["ami-name"] = $"imagepipeline-demo-{{timestamp}}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}",
        };
    }

    /// <summary>Makes the sample image and the demo keys the <see cref="Defaults"/> name, unless they are there already.</summary>
    public static void MakeMaterial(string root)
    {
        var folder = Folder(root);
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // Two demo bakes may start at once: one makes the material while the other waits (a mismatched key pair otherwise).
        using var material = LockFolder(folder);
        var image = Path.Combine(folder, ImageFile);
        if (!File.Exists(image))
        {
            MakeImage(image, folder);
        }

        var certificate = Path.Combine(folder, CertificateFile);
        var key = Path.Combine(folder, KeyFile);
        var ec2Certificate = Path.Combine(folder, Ec2CertificateFile);
        if (!File.Exists(certificate) || !File.Exists(key))
        {
            WriteCertificate("CN=ImagePipeline DEMO ONLY user certificate", certificate, key);
        }

        if (!File.Exists(ec2Certificate))
        {
            WriteCertificate("CN=ImagePipeline DEMO ONLY EC2 certificate (local cloud)", ec2Certificate, keyPath: null);
        }
    }

    private static string Folder(string root) => Path.Combine(root, ".nuke", "temp", "demo");

    private static FileStream LockFolder(string folder)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(Path.Combine(folder, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 1200)
            {
                Thread.Sleep(50);
            }
        }
    }

    private static void MakeImage(string image, string folder)
    {
        var temporary = image + ".tmp";
        File.Delete(temporary);
        var content = Path.Combine(folder, "demo-root");
        Directory.CreateDirectory(Path.Combine(content, "etc"));
        File.WriteAllText(Path.Combine(content, "etc", "os-release"), "NAME=\"ImagePipeline demo\"\nID=imagepipeline-demo\n");
        File.WriteAllText(Path.Combine(content, "README"), "A sample disk image made by ImagePipeline's offline bake. Not bootable.\n");

        using (var stream = new FileStream(temporary, FileMode.CreateNew))
        {
            stream.SetLength(ImageSize);
        }

        if (!TryMakeExt4(temporary, content))
        {
            // Without mke2fs, a sparse image with some data at the start, the middle and the end still exercises the bundler.
            using var stream = new FileStream(temporary, FileMode.Open);
            var block = new byte[256 * 1024];
            foreach (var offset in new[] { 0L, ImageSize / 2, ImageSize - block.Length })
            {
                RandomNumberGenerator.Fill(block);
                stream.Position = offset;
                stream.Write(block);
            }
        }

        File.Move(temporary, image);
    }

    private static bool TryMakeExt4(string image, string content)
    {
        try
        {
            var start = new ProcessStartInfo("mke2fs", ["-q", "-t", "ext4", "-d", content, "-F", image])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start);
            if (process is null)
            {
                return false;
            }

            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static void WriteCertificate(string subject, string certificatePath, string? keyPath)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
        if (keyPath is not null)
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var writer = new StreamWriter(keyPath, System.Text.Encoding.ASCII, options);
            writer.Write(rsa.ExportPkcs8PrivateKeyPem() + "\n");
        }
    }

    /// <summary>True when the run is the offline demo's kind: local cloud, instance-store Linux, no image or instance given and none to launch.</summary>
    public static bool Applies(IParameterValues parameters, bool isLocalCloud, Func<string, bool> isSet) =>
        isLocalCloud
        && parameters.Get(CommonParameters.BackingStore) == BackingStore.InstanceStore
        && parameters.Get(CommonParameters.Platform) == Platform.Linux
        && !isSet("image-file") && !isSet("instance-host") && !isSet("source-ami") && !isSet("source-ami-filter");
}
