using ImagePipeline.LocalCloud.Routing;
using ImagePipeline.LocalCloud.Storage;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>
/// Reads the manifest RegisterImage points at, as EC2 does: from the bucket's own region, with the caller's access,
/// and refuses (InvalidManifest) a manifest that is missing, unreadable, malformed (<see cref="ManifestParser"/>),
/// bundled by another account, or whose parts are not all in the bucket beside it, whole. Call under the state gate.
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

        var manifest = ManifestParser.Parse(imageLocation, File.ReadAllBytes(store.BlobPath(manifestObject.BlobName)));
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
}
