using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Bundling;

/// <summary>Reads a NAME.manifest.xml written by this tool or by the AMI tools, keeping the raw text for the signature check.</summary>
internal static class ManifestReader
{
    public static async Task<(BundleManifest Manifest, string Text, string Signature)> ReadAsync(string path, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw PipelineException.Input($"The manifest '{path}' cannot be read ({ex.Message}); pass the path of the bundle's NAME.manifest.xml.", ex);
        }

        try
        {
            return (Parse(text), text, XDocument.Parse(text).Root?.Element("signature")?.Value.Trim() ?? string.Empty);
        }
        catch (Exception ex) when (ex is XmlException or FormatException or OverflowException or InvalidDataException)
        {
            throw PipelineException.Input($"The manifest '{path}' is not a valid bundle manifest ({ex.Message}); pass the NAME.manifest.xml written when the bundle was made.", ex);
        }
    }

    private static BundleManifest Parse(string text)
    {
        var root = XDocument.Parse(text).Root ?? throw new InvalidDataException("the document is empty");
        var machine = root.Element("machine_configuration");
        var image = root.Element("image") ?? throw new InvalidDataException("it has no <image> element");
        var parts = image.Element("parts") ?? throw new InvalidDataException("it has no <parts> element");
        var partList = parts.Elements("part")
            .Select(part => new ManifestPart(
                int.Parse(Attribute(part, "index"), CultureInfo.InvariantCulture),
                Required(part, "filename"),
                Required(part, "digest").ToLowerInvariant()))
            .OrderBy(part => part.Index)
            .ToList();

        return new BundleManifest
        {
            Architecture = machine?.Element("architecture")?.Value.Trim() ?? string.Empty,
            BlockDeviceMappings = machine?.Element("block_device_mapping")?.Elements("mapping")
                .Select(mapping => new KeyValuePair<string, string>(Required(mapping, "virtual"), Required(mapping, "device")))
                .ToList() ?? [],
            KernelId = machine?.Element("kernel_id")?.Value.Trim(),
            RamdiskId = machine?.Element("ramdisk_id")?.Value.Trim(),
            ProductCodes = machine?.Element("product_codes")?.Elements("product_code").Select(code => code.Value.Trim()).ToList() ?? [],
            Name = Required(image, "name"),
            User = image.Element("user")?.Value.Trim() ?? string.Empty,
            ImageType = image.Element("type")?.Value.Trim() ?? "machine",
            AncestorAmiIds = image.Element("ancestry")?.Elements("ancestor_ami_id").Select(id => id.Value.Trim()).ToList() ?? [],
            TarDigestSha1 = Required(image, "digest").ToLowerInvariant(),
            Size = long.Parse(Required(image, "size"), CultureInfo.InvariantCulture),
            BundledSize = long.Parse(Required(image, "bundled_size"), CultureInfo.InvariantCulture),
            Ec2EncryptedKey = image.Element("ec2_encrypted_key")?.Value.Trim() ?? string.Empty,
            UserEncryptedKey = Required(image, "user_encrypted_key"),
            Ec2EncryptedIv = image.Element("ec2_encrypted_iv")?.Value.Trim() ?? string.Empty,
            UserEncryptedIv = Required(image, "user_encrypted_iv"),
            DeclaredPartCount = int.Parse(Attribute(parts, "count"), CultureInfo.InvariantCulture),
            Parts = partList,
        };
    }

    private static string Required(XElement parent, string name) =>
        parent.Element(name)?.Value.Trim() is { Length: > 0 } value
            ? value
            : throw new InvalidDataException($"<{parent.Name}> has no <{name}>");

    private static string Attribute(XElement element, string name) =>
        element.Attribute(name)?.Value ?? throw new InvalidDataException($"<{element.Name}> has no '{name}' attribute");
}
