using System.Xml;
using System.Xml.Linq;
using ImagePipeline.LocalCloud.Routing;
using ImagePipeline.LocalCloud.Storage;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>
/// Reads the manifest RegisterImage points at, as EC2 does: from the bucket's own region, with the caller's access,
/// and refuses (InvalidManifest) a manifest that is missing, unreadable, not version 2007-10-10, or whose parts are
/// not all in the bucket beside it. Call under the state gate.
/// </summary>
internal sealed class ManifestReader(StateStore store)
{
    public BundleManifest Read(CallerContext caller, string imageLocation)
    {
        var slash = imageLocation.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == imageLocation.Length - 1)
        {
            throw Ec2Errors.InvalidManifest($"Invalid manifest location '{imageLocation}': expected bucket/path/name.manifest.xml");
        }

        var bucketName = imageLocation[..slash];
        var key = imageLocation[(slash + 1)..];
        if (!store.State.Buckets.TryGetValue(bucketName, out var bucket))
        {
            throw Ec2Errors.InvalidManifest($"Unable to read manifest {imageLocation}: the bucket '{bucketName}' does not exist.");
        }

        if (bucket.OwnerAccountId != caller.AccountId)
        {
            throw Ec2Errors.InvalidManifest($"Unable to read manifest {imageLocation}: access to bucket '{bucketName}' is denied.");
        }

        if (bucket.Region != caller.Region)
        {
            throw Ec2Errors.InvalidManifest($"Unable to read manifest {imageLocation}: the bucket '{bucketName}' is in region {bucket.Region}, not in {caller.Region}. Register the image in {bucket.Region} or copy the bundle to a bucket in {caller.Region}.");
        }

        if (!bucket.Objects.TryGetValue(key, out var manifestObject))
        {
            throw Ec2Errors.InvalidManifest($"Unable to read manifest {imageLocation}: the object does not exist.");
        }

        var manifest = Parse(imageLocation, File.ReadAllBytes(store.BlobPath(manifestObject.BlobName)));
        if (manifest.User != caller.AccountId)
        {
            throw Ec2Errors.InvalidManifest($"Manifest {imageLocation} was bundled by account {manifest.User}, not by the registering account {caller.AccountId}.");
        }

        // The parts must all be there and be what the manifest says; EC2 would otherwise fail the image when it
        // unbundles it, which here is caught at registration.
        var directory = key.Contains('/', StringComparison.Ordinal) ? key[..(key.LastIndexOf('/') + 1)] : "";
        long bundled = 0;
        for (var i = 0; i < manifest.PartFileNames.Count; i++)
        {
            var part = manifest.PartFileNames[i];
            if (!bucket.Objects.TryGetValue(directory + part, out var partObject))
            {
                throw Ec2Errors.InvalidManifest($"Manifest {imageLocation} lists part {part}, which is not in bucket {bucketName} at {directory + part}.");
            }

            bundled += partObject.Size;
            using var stream = File.OpenRead(store.BlobPath(partObject.BlobName));
            var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(stream));
            if (digest != manifest.PartDigests[i])
            {
                throw Ec2Errors.InvalidManifest($"Part {part} of manifest {imageLocation} has SHA-1 {digest}, but the manifest says {manifest.PartDigests[i]}.");
            }
        }

        if (bundled != manifest.BundledSize)
        {
            throw Ec2Errors.InvalidManifest($"The parts of manifest {imageLocation} add up to {bundled} bytes, but its bundled_size is {manifest.BundledSize}.");
        }

        return manifest;
    }

    public static BundleManifest Parse(string location, byte[] bytes)
    {
        XElement root;
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
            using var reader = XmlReader.Create(new MemoryStream(bytes), settings);
            root = XElement.Load(reader);
        }
        catch (XmlException ex)
        {
            throw Ec2Errors.InvalidManifest($"Unable to parse manifest {location}: {ex.Message}");
        }

        string Required(XElement? parent, string name) =>
            parent?.Element(name)?.Value is { Length: > 0 } value
                ? value
                : throw Ec2Errors.InvalidManifest($"Manifest {location} is missing the element {name}.");

        if (root.Name.LocalName != "manifest")
        {
            throw Ec2Errors.InvalidManifest($"Unable to parse manifest {location}: the root element is not <manifest>.");
        }

        var version = Required(root, "version");
        if (version != "2007-10-10")
        {
            throw Ec2Errors.InvalidManifest($"Manifest {location} has version {version}; only 2007-10-10 is supported.");
        }

        var machine = root.Element("machine_configuration");
        var image = root.Element("image") ?? throw Ec2Errors.InvalidManifest($"Manifest {location} is missing the element image.");
        var architecture = Required(machine, "architecture");
        if (architecture is not ("i386" or "x86_64" or "arm64"))
        {
            throw Ec2Errors.InvalidManifest($"Manifest {location} names an unsupported architecture '{architecture}'.");
        }

        Required(root, "signature");
        Required(image, "digest");
        foreach (var element in new[] { "ec2_encrypted_key", "user_encrypted_key", "ec2_encrypted_iv", "user_encrypted_iv", "size", "bundled_size" })
        {
            Required(image, element);
        }

        if (!long.TryParse(Required(image, "size"), out _) || !long.TryParse(Required(image, "bundled_size"), out var bundledSize))
        {
            throw Ec2Errors.InvalidManifest($"Manifest {location} has a size or bundled_size that is not a number.");
        }

        var partsElement = image.Element("parts") ?? throw Ec2Errors.InvalidManifest($"Manifest {location} is missing the element parts.");
        var parts = partsElement.Elements("part")
            .Select(p => (Index: int.TryParse(p.Attribute("index")?.Value, out var i) ? i : -1, File: p.Element("filename")?.Value, Digest: p.Element("digest")?.Value))
            .ToList();
        if (!int.TryParse(partsElement.Attribute("count")?.Value, out var count) || count != parts.Count || count == 0
            || parts.Any(p => p.Index < 0 || string.IsNullOrEmpty(p.File) || string.IsNullOrEmpty(p.Digest))
            || !parts.Select(p => p.Index).Order().SequenceEqual(Enumerable.Range(0, count)))
        {
            throw Ec2Errors.InvalidManifest($"Manifest {location} has an inconsistent parts list.");
        }

        var mappings = machine?.Element("block_device_mapping")?.Elements("mapping")
            .Select(m => (m.Element("virtual")?.Value ?? "", m.Element("device")?.Value ?? ""))
            .ToList() ?? [];
        return new BundleManifest(
            Required(image, "name"),
            Required(image, "user"),
            architecture,
            mappings,
            machine?.Element("kernel_id")?.Value,
            machine?.Element("ramdisk_id")?.Value,
            [.. parts.OrderBy(p => p.Index).Select(p => p.File!)],
            [.. parts.OrderBy(p => p.Index).Select(p => p.Digest!.Trim().ToLowerInvariant())],
            bundledSize);
    }
}
