using System.Globalization;
using System.Security;
using System.Security.Cryptography;
using System.Text;

namespace ImagePipeline.Bundling.Manifests;

/// <summary>
/// Serializes a manifest exactly as the AMI tools lay it out (no indentation, fixed element order, empty elements left
/// out) and signs the very text it writes.
/// </summary>
internal static class ManifestWriter
{
    public const string BundlerName = "imagepipeline";
    public const string BundlerVersion = "1.0";
    public const string BundlerRelease = "1";

    public static string Write(BundleManifest manifest, RSA userPrivateKey)
    {
        var machineConfiguration = MachineConfiguration(manifest);
        var image = Image(manifest);
        var signature = ManifestSignature.Sign(userPrivateKey, machineConfiguration + image);

        var text = new StringBuilder("<?xml version='1.0'?><manifest><version>2007-10-10</version>");
        text.Append("<bundler>");
        Element(text, "name", BundlerName);
        Element(text, "version", BundlerVersion);
        Element(text, "release", BundlerRelease);
        text.Append("</bundler>");
        text.Append(machineConfiguration);
        text.Append(image);
        Element(text, "signature", signature);
        text.Append("</manifest>");
        return text.ToString();
    }

    private static string MachineConfiguration(BundleManifest manifest)
    {
        var text = new StringBuilder("<machine_configuration>");
        Element(text, "architecture", manifest.Architecture);
        if (manifest.BlockDeviceMappings.Count > 0)
        {
            text.Append("<block_device_mapping>");
            foreach (var mapping in manifest.BlockDeviceMappings.OrderBy(mapping => mapping.Key, StringComparer.Ordinal))
            {
                text.Append("<mapping>");
                Element(text, "virtual", mapping.Key);
                Element(text, "device", mapping.Value);
                text.Append("</mapping>");
            }

            text.Append("</block_device_mapping>");
        }

        Element(text, "kernel_id", manifest.KernelId);
        Element(text, "ramdisk_id", manifest.RamdiskId);
        if (manifest.ProductCodes.Count > 0)
        {
            text.Append("<product_codes>");
            foreach (var code in manifest.ProductCodes)
            {
                Element(text, "product_code", code);
            }

            text.Append("</product_codes>");
        }

        text.Append("</machine_configuration>");
        return text.ToString();
    }

    private static string Image(BundleManifest manifest)
    {
        var text = new StringBuilder("<image>");
        Element(text, "name", manifest.Name);
        Element(text, "user", manifest.User);
        Element(text, "type", manifest.ImageType);
        if (manifest.AncestorAmiIds.Count > 0)
        {
            text.Append("<ancestry>");
            foreach (var ancestor in manifest.AncestorAmiIds)
            {
                Element(text, "ancestor_ami_id", ancestor);
            }

            text.Append("</ancestry>");
        }

        text.Append("<digest algorithm=\"SHA1\">").Append(manifest.TarDigestSha1).Append("</digest>");
        Element(text, "size", manifest.Size.ToString(CultureInfo.InvariantCulture));
        Element(text, "bundled_size", manifest.BundledSize.ToString(CultureInfo.InvariantCulture));
        text.Append("<ec2_encrypted_key algorithm=\"AES-128-CBC\">").Append(manifest.Ec2EncryptedKey).Append("</ec2_encrypted_key>");
        text.Append("<user_encrypted_key algorithm=\"AES-128-CBC\">").Append(manifest.UserEncryptedKey).Append("</user_encrypted_key>");
        Element(text, "ec2_encrypted_iv", manifest.Ec2EncryptedIv);
        Element(text, "user_encrypted_iv", manifest.UserEncryptedIv);
        text.Append(CultureInfo.InvariantCulture, $"<parts count=\"{manifest.Parts.Count}\">");
        foreach (var part in manifest.Parts)
        {
            text.Append(CultureInfo.InvariantCulture, $"<part index=\"{part.Index}\">");
            Element(text, "filename", part.FileName);
            text.Append("<digest algorithm=\"SHA1\">").Append(part.Sha1Hex).Append("</digest>");
            text.Append("</part>");
        }

        text.Append("</parts>");
        text.Append("</image>");
        return text.ToString();
    }

    private static void Element(StringBuilder text, string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        text.Append('<').Append(name).Append('>').Append(SecurityElement.Escape(value)).Append("</").Append(name).Append('>');
    }
}
