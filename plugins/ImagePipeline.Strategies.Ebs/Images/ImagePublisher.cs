using Amazon.EC2;
using Amazon.EC2.Model;
using ImagePipeline.Abstractions;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Strategies.Ebs.Images;

/// <summary>What makes an image published in one region: tags on it and its snapshots, launch permissions, deprecation.</summary>
public sealed class ImagePublisher(ICloudClients clients, OwnedImages images, ILogger<ImagePublisher> logger)
{
    public async Task TagAsync(
        string region, string imageId, IReadOnlyDictionary<string, string> imageTags, IReadOnlyDictionary<string, string> snapshotTags, CancellationToken cancellationToken)
    {
        var ec2 = clients.Ec2(region);
        if (imageTags.Count > 0)
        {
            await ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [imageId], Tags = EbsTags.From(imageTags) }, cancellationToken);
        }

        if (snapshotTags.Count > 0)
        {
            var image = await images.FindAsync(region, imageId, cancellationToken)
                ?? throw new PipelineException($"Image {imageId} in {region} disappeared before its snapshots could be tagged; check who deregistered it, then run again.");
            var snapshotIds = OwnedImages.SnapshotIdsOf(image);
            if (snapshotIds.Count > 0)
            {
                await ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [.. snapshotIds], Tags = EbsTags.From(snapshotTags) }, cancellationToken);
            }
        }
    }

    public async Task ShareAsync(string region, string imageId, IReadOnlyList<string> accountIds, IReadOnlyList<string> organizationArns, CancellationToken cancellationToken)
    {
        if (accountIds.Count == 0 && organizationArns.Count == 0)
        {
            return;
        }

        var permissions = accountIds.Select(account => new LaunchPermission { UserId = account })
            .Concat(organizationArns.Select(arn => new LaunchPermission { OrganizationArn = arn }))
            .ToList();
        await clients.Ec2(region).ModifyImageAttributeAsync(
            new ModifyImageAttributeRequest
            {
                ImageId = imageId,
                LaunchPermission = new LaunchPermissionModifications { Add = permissions },
            },
            cancellationToken);
        logger.ImageShared(imageId, region, accountIds.Count, organizationArns.Count);
    }

    public async Task DeprecateAsync(string region, string imageId, DateTimeOffset deprecateAt, CancellationToken cancellationToken)
    {
        await clients.Ec2(region).EnableImageDeprecationAsync(
            new EnableImageDeprecationRequest { ImageId = imageId, DeprecateAt = deprecateAt.UtcDateTime },
            cancellationToken);
        logger.ImageDeprecated(imageId, region, deprecateAt);
    }
}
