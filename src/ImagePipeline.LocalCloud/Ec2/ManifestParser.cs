using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using ImagePipeline.LocalCloud.Routing;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>
/// Parses a bundle manifest (version 2007-10-10) as strictly as EC2 may: a document that is not well-formed, carries a
/// DTD (so no entity can be expanded or fetched), lacks an element EC2 needs to unbundle the image, holds an element
/// EC2 reads once twice (two readers could take different ones), or a value EC2 could not use (a size that is not a
/// number, a digest or key that is not hex, a part named outside the manifest's folder) is InvalidManifest.
/// Never more lenient than EC2: whatever EC2 would fail when it unbundles the image is refused at registration here.
/// </summary>
internal static class ManifestParser
{
    /// <summary>
    /// Far above any real manifest (an instance-store image is at most 10 GiB: 1,024 parts of ~200 bytes each), so a
    /// hostile object is not read into memory.
    /// </summary>
    public const int MaxManifestBytes = 16 * 1024 * 1024;

    private static readonly string[] Architectures = ["i386", "x86_64", "arm64"];
    private static readonly string[] ImageTypes = ["machine", "kernel", "ramdisk"];

    public static BundleManifest Parse(string location, byte[] bytes)
    {
        if (bytes.Length > MaxManifestBytes)
        {
            throw Invalid(location, $"it is {bytes.Length} bytes, larger than any manifest");
        }

        var root = Load(location, bytes);
        if (root.Name != "manifest")
        {
            throw Invalid(location, "the root element is not <manifest>");
        }

        var version = Required(location, root, "version");
        if (version != "2007-10-10")
        {
            throw Ec2Errors.InvalidManifest($"Manifest {location} has version {version}; only 2007-10-10 is supported.");
        }

        var machine = Single(location, root, "machine_configuration") ?? throw Missing(location, "machine_configuration");
        var image = Single(location, root, "image") ?? throw Missing(location, "image");
        var architecture = Required(location, machine, "architecture");
        if (!Architectures.Contains(architecture))
        {
            throw Ec2Errors.InvalidManifest($"Manifest {location} names an unsupported architecture '{architecture}'.");
        }

        if (Optional(location, image, "type") is { } type && !ImageTypes.Contains(type))
        {
            throw Invalid(location, $"the image type '{type}' is not machine, kernel or ramdisk");
        }

        var user = Required(location, image, "user");
        if (user.Length != 12 || !user.All(char.IsAsciiDigit))
        {
            throw Invalid(location, $"the user '{user}' is not a 12-digit account id");
        }

        Hex(location, image, "digest", exactLength: 40, algorithm: "SHA1");
        Number(location, image, "size");
        var bundledSize = Number(location, image, "bundled_size");
        foreach (var name in new[] { "ec2_encrypted_key", "user_encrypted_key" })
        {
            Hex(location, image, name, exactLength: null, algorithm: "AES-128-CBC");
        }

        foreach (var name in new[] { "ec2_encrypted_iv", "user_encrypted_iv" })
        {
            Hex(location, image, name, exactLength: null, algorithm: null);
        }

        Hex(location, root, "signature", exactLength: null, algorithm: null);
        var parts = Parts(location, Single(location, image, "parts") ?? throw Missing(location, "parts"));
        var mappings = Single(location, machine, "block_device_mapping")?.Elements("mapping")
            .Select(m => (Required(location, m, "virtual"), Required(location, m, "device")))
            .ToList() ?? [];
        return new BundleManifest(
            Required(location, image, "name"),
            user,
            architecture,
            mappings,
            Optional(location, machine, "kernel_id"),
            Optional(location, machine, "ramdisk_id"),
            [.. parts.Select(p => p.File)],
            [.. parts.Select(p => p.Digest)],
            bundledSize);
    }

    private static XElement Load(string location, byte[] bytes)
    {
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, CheckCharacters = true };
            using var reader = XmlReader.Create(new MemoryStream(bytes), settings);
            return XElement.Load(reader);
        }
        catch (XmlException ex)
        {
            throw Ec2Errors.InvalidManifest($"Unable to parse manifest {location}: {ex.Message}");
        }
    }

    private static List<(string File, string Digest)> Parts(string location, XElement partsElement)
    {
        var count = Digits(location, partsElement.Attribute("count")?.Value, "parts count");
        var parts = partsElement.Elements("part")
            .Select(p => (
                Index: Digits(location, p.Attribute("index")?.Value, "part index"),
                File: Required(location, p, "filename"),
                Digest: Hex(location, p, "digest", exactLength: 40, algorithm: "SHA1")))
            .OrderBy(p => p.Index)
            .ToList();
        if (count == 0 || count != parts.Count || !parts.Select(p => p.Index).SequenceEqual(Enumerable.Range(0, parts.Count).Select(i => (long)i)))
        {
            throw Ec2Errors.InvalidManifest($"Manifest {location} has an inconsistent parts list.");
        }

        // EC2 reads each part from the manifest's own folder: a name that leaves it is not a part of this bundle.
        if (parts.FirstOrDefault(p => p.File.Contains('/', StringComparison.Ordinal) || p.File is "." or "..") is { File: { } outside })
        {
            throw Invalid(location, $"the part '{outside}' is not a file name beside the manifest");
        }

        return [.. parts.Select(p => (p.File, p.Digest.ToLowerInvariant()))];
    }

    /// <summary>The one child of that name, or null; two of them is a manifest two readers could read differently.</summary>
    private static XElement? Single(string location, XElement parent, string name)
    {
        using var found = parent.Elements(name).GetEnumerator();
        if (!found.MoveNext())
        {
            return null;
        }

        var first = found.Current;
        return found.MoveNext() ? throw Invalid(location, $"<{parent.Name}> holds <{name}> more than once") : first;
    }

    private static string? Optional(string location, XElement parent, string name) =>
        Single(location, parent, name) is { } element
            ? element.HasElements ? throw Invalid(location, $"<{name}> holds elements, not a value") : element.Value
            : null;

    private static string Required(string location, XElement parent, string name) =>
        Optional(location, parent, name) is { Length: > 0 } value ? value : throw Missing(location, name);

    private static long Number(string location, XElement parent, string name) =>
        Digits(location, Required(location, parent, name), name);

    private static long Digits(string location, string? text, string what) =>
        text is { Length: > 0 and <= 18 } && text.All(char.IsAsciiDigit)
            ? long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture)
            : throw Invalid(location, $"the {what} '{text}' is not a whole number");

    private static string Hex(string location, XElement parent, string name, int? exactLength, string? algorithm)
    {
        var value = Required(location, parent, name);
        if (value.Length % 2 != 0 || !value.All(char.IsAsciiHexDigit) || (exactLength is { } length && value.Length != length))
        {
            throw Invalid(location, $"the {name} is not {(exactLength is { } l ? $"{l} hex digits" : "hex")}");
        }

        var given = Single(location, parent, name)!.Attribute("algorithm")?.Value;
        if (algorithm is not null && given is not null && given != algorithm)
        {
            throw Invalid(location, $"the {name} uses the algorithm '{given}', not {algorithm}");
        }

        return value;
    }

    private static AwsServiceException Missing(string location, string name) =>
        Ec2Errors.InvalidManifest($"Manifest {location} is missing the element {name}.");

    private static AwsServiceException Invalid(string location, string why) =>
        Ec2Errors.InvalidManifest($"Manifest {location} is not valid: {why}.");
}
