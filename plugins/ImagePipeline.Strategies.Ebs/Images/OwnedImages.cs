using Amazon.EC2;
using Amazon.EC2.Model;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Strategies.Ebs.Images;

/// <summary>Looks up the caller's own images (read-only).</summary>
public sealed class OwnedImages(ICloudClients clients)
{
    /// <summary>The caller's image of that name in the region, or null.</summary>
    public async Task<Image?> FindByNameAsync(string region, string name, CancellationToken cancellationToken)
    {
        var response = await clients.Ec2(region).DescribeImagesAsync(
            new DescribeImagesRequest
            {
                Owners = ["self"],
                Filters = [new Filter("name", [name])],
            },
            cancellationToken);
        return (response.Images ?? []).FirstOrDefault(image =>
            string.Equals(image.Name, name, StringComparison.Ordinal) && image.State != ImageState.Deregistered);
    }

    /// <summary>The image, or null when it does not exist (any more).</summary>
    public async Task<Image?> FindAsync(string region, string imageId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await clients.Ec2(region).DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId] }, cancellationToken);
            return (response.Images ?? []).FirstOrDefault(image => image.State != ImageState.Deregistered);
        }
        catch (AmazonEC2Exception exception) when (exception.ErrorCode is "InvalidAMIID.NotFound" or "InvalidAMIID.Unavailable")
        {
            return null;
        }
    }

    /// <summary>The caller's images tagged with a run id, for cleanups that lost an id (a response that never arrived).</summary>
    public async Task<IReadOnlyList<Image>> FindByRunAsync(string region, string runId, CancellationToken cancellationToken)
    {
        var response = await clients.Ec2(region).DescribeImagesAsync(
            new DescribeImagesRequest
            {
                Owners = ["self"],
                Filters = [new Filter("tag:" + EbsTags.RunId, [runId])],
            },
            cancellationToken);

        // Filtered again here: the run-id tag decides what may be deleted, so do not rely on the server's filtering alone.
        return (response.Images ?? [])
            .Where(image => image.State != ImageState.Deregistered
                && (image.Tags ?? []).Any(tag => tag.Key == EbsTags.RunId && tag.Value == runId))
            .ToArray();
    }

    public static IReadOnlyList<string> SnapshotIdsOf(Image image) =>
        (image.BlockDeviceMappings ?? [])
            .Select(mapping => mapping.Ebs?.SnapshotId)
            .OfType<string>()
            .Where(id => id.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
}
