using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>
/// Produces what a finished BundleInstance leaves in S3: a genuine 2007-10-10 bundle (tar → SHA-1 → gzip →
/// AES-128-CBC → 10 MiB parts) of a small stand-in volume image, with its keys wrapped and the manifest signed by
/// throwaway RSA keys (nobody holds the real EC2 key here).
/// </summary>
internal static class BundleWriter
{
    private const int PartSize = 10 * 1024 * 1024;

    // Generating RSA keys is slow; one throwaway pair per process is as good as one per bundle here.
    private static readonly Lazy<RSA> UserKey = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> Ec2Key = new(() => RSA.Create(2048));

    public static (byte[] Manifest, List<(string FileName, byte[] Content)> Parts) Write(string name, string accountId, string instanceId)
    {
        var image = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat($"localcloud bundled volume of {instanceId}\n", 2048)));
        byte[] tar;
        using (var tarStream = new MemoryStream())
        {
            using (var writer = new TarWriter(tarStream, TarEntryFormat.Gnu, leaveOpen: true))
            {
                var entry = new GnuTarEntry(TarEntryType.RegularFile, name) { Uid = 0, Gid = 0, DataStream = new MemoryStream(image) };
                writer.WriteEntry(entry);
            }

            tar = tarStream.ToArray();
        }

        var digest = Convert.ToHexStringLower(SHA1.HashData(tar));
        byte[] gzipped;
        using (var gz = new MemoryStream())
        {
            using (var zip = new GZipStream(gz, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                zip.Write(tar);
            }

            gzipped = gz.ToArray();
        }

        var keyHex = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var ivHex = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        byte[] encrypted;
        using (var aes = Aes.Create())
        {
            aes.Key = Convert.FromHexString(keyHex);
            encrypted = aes.EncryptCbc(gzipped, Convert.FromHexString(ivHex), PaddingMode.PKCS7);
        }

        var count = (encrypted.Length + PartSize - 1) / PartSize;
        var digits = count.ToString(CultureInfo.InvariantCulture).Length;
        var parts = new List<(string, byte[])>();
        for (var i = 0; i < count; i++)
        {
            var slice = encrypted.AsSpan(i * PartSize, Math.Min(PartSize, encrypted.Length - (i * PartSize))).ToArray();
            parts.Add(($"{name}.part.{i.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0')}", slice));
        }

        var userKey = UserKey.Value;
        var ec2Key = Ec2Key.Value;
        string Wrap(RSA rsa, string hex) => Convert.ToHexStringLower(rsa.Encrypt(Encoding.ASCII.GetBytes(hex), RSAEncryptionPadding.Pkcs1));

        var machine = new XElement(
            "machine_configuration",
            new XElement("architecture", "x86_64"),
            new XElement(
                "block_device_mapping",
                new XElement("mapping", new XElement("virtual", "ami"), new XElement("device", "sda1")),
                new XElement("mapping", new XElement("virtual", "root"), new XElement("device", "/dev/sda1"))));
        var imageElement = new XElement(
            "image",
            new XElement("name", name),
            new XElement("user", accountId),
            new XElement("type", "machine"),
            new XElement("digest", new XAttribute("algorithm", "SHA1"), digest),
            new XElement("size", image.Length),
            new XElement("bundled_size", encrypted.Length),
            new XElement("ec2_encrypted_key", new XAttribute("algorithm", "AES-128-CBC"), Wrap(ec2Key, keyHex)),
            new XElement("user_encrypted_key", new XAttribute("algorithm", "AES-128-CBC"), Wrap(userKey, keyHex)),
            new XElement("ec2_encrypted_iv", Wrap(ec2Key, ivHex)),
            new XElement("user_encrypted_iv", Wrap(userKey, ivHex)),
            new XElement(
                "parts",
                new XAttribute("count", count),
                parts.Select((p, i) => new XElement(
                    "part",
                    new XAttribute("index", i),
                    new XElement("filename", p.Item1),
                    new XElement("digest", new XAttribute("algorithm", "SHA1"), Convert.ToHexStringLower(SHA1.HashData(p.Item2)))))));
        var machineText = machine.ToString(SaveOptions.DisableFormatting);
        var imageText = imageElement.ToString(SaveOptions.DisableFormatting);
        var signature = Convert.ToHexStringLower(userKey.SignData(Encoding.UTF8.GetBytes(machineText + imageText), HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1));
        var manifest = "<?xml version='1.0'?><manifest><version>2007-10-10</version><bundler><name>ec2-bundle-instance</name><version>1.5</version><release>localcloud</release></bundler>"
            + machineText + imageText + $"<signature>{signature}</signature></manifest>";
        return (Encoding.UTF8.GetBytes(manifest), parts);
    }
}
