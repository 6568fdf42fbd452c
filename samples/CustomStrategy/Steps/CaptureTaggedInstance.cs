using Amazon.EC2.Model;
using CustomStrategy.Parameters;
using CustomStrategy.State;
using ImagePipeline.Abstractions;

namespace CustomStrategy.Steps;

/// <summary>
/// BundleVolume: refuses an instance without the required tag (before anything runs), then captures it with
/// CreateImage. Records the image id at once; a failed or cancelled run deregisters the image and deletes its snapshots.
/// An AWS error is left to the engine, which reports it in one line; logs go through <c>context.Logger</c> (TaggedEbsLog).
/// </summary>
public sealed class CaptureTaggedInstance(ICloudClients clients, ImageNameTemplate names) : IPipelineStep
{
    public async ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        if (!parameters.IsSet(CommonParameters.InstanceId) || !parameters.IsSet(CommonParameters.ImageName))
        {
            // The strategy reports what is missing.
            return;
        }

        var instanceId = parameters.Get(CommonParameters.InstanceId);
        var requiredTag = parameters.Get(TaggedEbsParameters.RequiredInstanceTag);
        var instance = await FindInstanceAsync(instanceId, cancellationToken);
        if (instance is null)
        {
            context.AddError($"Instance {instanceId} does not exist in {clients.Region}; check --instance-id and --region.");
        }
        else if (!instance.Tags.Exists(tag => tag.Key == requiredTag))
        {
            context.AddError($"Instance {instanceId} has no '{requiredTag}' tag, so it may not be captured; tag it once it is approved (aws ec2 create-tags --resources {instanceId} --tags Key={requiredTag},Value=yes), or pass --required-instance-tag.");
        }

        if (await names.ValidateAsync(context, cancellationToken) is not { } name)
        {
            return;
        }

        var existing = await clients.Ec2().DescribeImagesAsync(
            new DescribeImagesRequest { Owners = ["self"], Filters = [new Filter("name", [name])] }, cancellationToken);
        if (existing.Images is [var taken, ..])
        {
            context.AddError($"An image named '{name}' exists already in {clients.Region} ({taken.ImageId}); choose another --ami-name.");
        }
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (context.State.TryGet(TaggedEbsState.ImageId, out var earlier))
        {
            // A resumed run: the image exists; creating another would leave two.
            context.Note = earlier;
            return;
        }

        var parameters = context.Parameters;
        var instanceId = parameters.Get(CommonParameters.InstanceId);
        var name = await names.ExpandAsync(parameters.Get(CommonParameters.ImageName), cancellationToken);
        var response = await clients.Ec2().CreateImageAsync(
            new CreateImageRequest
            {
                InstanceId = instanceId,
                Name = name,
                Description = parameters.GetOrDefault(CommonParameters.ImageDescription),

                // Approved instances are captured as they run; the tag is the owner's word that they are consistent.
                NoReboot = true,
            },
            cancellationToken);

        context.State.Set(TaggedEbsState.ImageId, response.ImageId);
        await context.CheckpointAsync(cancellationToken);
        context.Logger.ImageCaptured(instanceId, response.ImageId);
        context.Note = response.ImageId;
    }

    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (!context.State.TryGet(TaggedEbsState.ImageId, out var imageId))
        {
            return CleanupOutcome.NothingToUndo;
        }

        if (!context.ShouldUndo)
        {
            return CleanupOutcome.Kept;
        }

        var ec2 = clients.Ec2();
        var images = await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId] }, cancellationToken);
        var snapshots = images.Images?.SelectMany(image => image.BlockDeviceMappings ?? [])
            .Select(mapping => mapping.Ebs?.SnapshotId)
            .OfType<string>()
            .ToList() ?? [];
        await ec2.DeregisterImageAsync(new DeregisterImageRequest { ImageId = imageId }, cancellationToken);
        foreach (var snapshot in snapshots)
        {
            await ec2.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = snapshot }, cancellationToken);
        }

        context.State.Remove(TaggedEbsState.ImageId);
        context.Logger.ImageRemoved(imageId, snapshots.Count);
        return CleanupOutcome.Undone;
    }

    private async Task<Instance?> FindInstanceAsync(string instanceId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await clients.Ec2().DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instanceId] }, cancellationToken);
            return response.Reservations?.SelectMany(reservation => reservation.Instances ?? []).FirstOrDefault();
        }
        catch (Amazon.EC2.AmazonEC2Exception exception) when (exception.ErrorCode == "InvalidInstanceID.NotFound")
        {
            return null;
        }
    }
}
