using Amazon.EC2;
using Amazon.EC2.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using ImagePipeline.Strategies.InstanceStore.State;
using ImagePipeline.Strategies.InstanceStore.Uploads;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Strategies.InstanceStore.Steps;

/// <summary>
/// RegisterImage: registers the uploaded bundle as an instance-store AMI and waits until it is available. A same-named
/// image of the caller is refused before anything runs, or deregistered first with --force-deregister. The image is
/// deregistered again when the run is undone (a later failure, or a failed wait).
/// </summary>
public sealed class RegisterBundledImage(ICloudClients clients, ResourceWaiter waiter, ImageNameTemplate names) : IPipelineStep
{
    public async ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        if (await names.ValidateAsync(context, cancellationToken) is not { } name)
        {
            return;
        }

        if (context.Parameters.Get(CommonParameters.ForceDeregister))
        {
            return;
        }

        // A resumed run may already have registered its image under this name: that one is ours, not a clash.
        string? registeredByThisRun = null;
        context.ResumedState?.TryGet(InstanceStoreState.RegisteredImageId, out registeredByThisRun);
        var existing = (await FindOwnImagesNamedAsync(name, cancellationToken)).Where(image => image.ImageId != registeredByThisRun).ToList();
        if (existing.Count > 0)
        {
            context.AddError(
                $"An image named '{name}' already exists in your account ({string.Join(", ", existing.Select(image => image.ImageId))}); pass --force-deregister to replace it, or another --ami-name.");
        }
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var ec2 = clients.Ec2();
        var parameters = context.Parameters;
        var name = await EstablishNameAsync(context, cancellationToken);

        if (!context.State.TryGet(InstanceStoreState.RegisteredImageId, out var imageId))
        {
            if (parameters.Get(CommonParameters.ForceDeregister))
            {
                foreach (var old in await FindOwnImagesNamedAsync(name, cancellationToken))
                {
                    await ec2.DeregisterImageAsync(new DeregisterImageRequest { ImageId = old.ImageId }, cancellationToken);
                    context.Logger.OldImageDeregistered(old.ImageId, name);
                }
            }

            imageId = await RegisterAsync(context, name, cancellationToken);

            // Saved at once: an image that exists must never be forgotten by a crash before the next save.
            context.State.Set(InstanceStoreState.RegisteredImageId, imageId);
            await context.CheckpointAsync(cancellationToken);
            context.Logger.ImageRegistered(imageId, name);
        }

        using (var scope = context.Progress.Start($"Waiting for {imageId} to be available", 100, ProgressUnit.Percent))
        {
            await waiter.WaitAsync(
                $"Image {imageId}",
                token => ProbeImageAsync(imageId, token),
                parameters.Get(CommonParameters.PollDelay),
                parameters.Get(CommonParameters.MaxWait),
                scope,
                cancellationToken);
        }

        context.Outputs.Set(WellKnownOutputs.ImageId, imageId);
        context.Note = imageId;
        await RemoveReplacedBundleAsync(context, cancellationToken);
    }

    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (!context.State.TryGet(InstanceStoreState.RegisteredImageId, out var imageId))
        {
            return CleanupOutcome.NothingToUndo;
        }

        if (!context.ShouldUndo)
        {
            return CleanupOutcome.Kept;
        }

        try
        {
            await clients.Ec2().DeregisterImageAsync(new DeregisterImageRequest { ImageId = imageId }, cancellationToken);
        }
        catch (AmazonEC2Exception exception) when (exception.ErrorCode is "InvalidAMIID.NotFound" or "InvalidAMIID.Unavailable")
        {
            // Already gone.
        }

        context.State.Remove(InstanceStoreState.RegisteredImageId);
        context.Outputs.Remove(WellKnownOutputs.ImageId);
        context.Logger.RegisteredImageDeregistered(imageId);
        return CleanupOutcome.Undone;
    }

    /// <summary>
    /// With --force-deregister over a prefix that held a bundle, the new bundle went next to it; now that the new image is
    /// available the old bundle goes, unless an image of the caller still boots from it.
    /// </summary>
    private async Task RemoveReplacedBundleAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (!context.State.TryGet(InstanceStoreState.ReplacedBundlePrefix, out var replaced))
        {
            return;
        }

        var bucket = context.Parameters.Get(InstanceStoreParameters.Bucket);
        var response = await clients.Ec2().DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"] }, cancellationToken);
        var users = (response.Images ?? [])
            .Where(image => image.State != ImageState.Deregistered && image.ImageLocation is { } location
                && (location.StartsWith($"{bucket}/{replaced}/", StringComparison.Ordinal) || location.StartsWith($"{bucket}/{replaced}.", StringComparison.Ordinal)))
            .Select(image => image.ImageId)
            .ToArray();
        if (users.Length > 0)
        {
            context.Logger.ReplacedBundleKept(bucket, replaced, string.Join(", ", users));
        }
        else
        {
            var keys = await BundlePrefixes.KeysUnderAsync(clients.S3(), bucket, replaced, cancellationToken);
            await UploadedObjects.DeleteAsync(clients.S3(), bucket, keys, cancellationToken);
            context.Logger.ReplacedBundleRemoved(keys.Count, bucket, replaced);
        }

        context.State.Remove(InstanceStoreState.ReplacedBundlePrefix);
    }

    private async Task<string> EstablishNameAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (context.State.TryGet(InstanceStoreState.ImageName, out var saved))
        {
            return saved;
        }

        var name = await names.ExpandAsync(context.Parameters.Get(CommonParameters.ImageName), cancellationToken);
        context.State.Set(InstanceStoreState.ImageName, name);
        return name;
    }

    private async Task<string> RegisterAsync(StepContext context, string name, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var location = context.State.Get(InstanceStoreState.ManifestLocation);
        var request = new RegisterImageRequest
        {
            Name = name,
            ImageLocation = location,
            Architecture = ArchitectureValues.FindValue(KebabCase.From(parameters.Get(InstanceStoreParameters.Architecture))),
            VirtualizationType = KebabCase.From(parameters.Get(InstanceStoreParameters.VirtualizationType)),
            RootDeviceName = parameters.Get(InstanceStoreParameters.RootDeviceName),
            BlockDeviceMappings = InstanceStoreParameters.ParseBlockDeviceMappings(parameters.Get(InstanceStoreParameters.BlockDeviceMappings))
                .Select(pair => new BlockDeviceMapping { DeviceName = pair.Key, VirtualName = pair.Value })
                .ToList(),
        };
        if (parameters.GetOrDefault(CommonParameters.ImageDescription) is { } description)
        {
            request.Description = description;
        }

        if (parameters.IsSet(InstanceStoreParameters.BootMode))
        {
            request.BootMode = BootModeValues.FindValue(KebabCase.From(parameters.Get(InstanceStoreParameters.BootMode)));
        }

        if (parameters.IsSet(InstanceStoreParameters.EnaSupport))
        {
            request.EnaSupport = parameters.Get(InstanceStoreParameters.EnaSupport);
        }

        if (parameters.GetOrDefault(InstanceStoreParameters.ImdsSupport) is { } imds)
        {
            request.ImdsSupport = ImdsSupportValues.FindValue(imds);
        }

        var tags = TagList.Parse(parameters.Get(CommonParameters.Tags));
        if (tags.Count > 0)
        {
            request.TagSpecifications =
            [
                new TagSpecification
                {
                    ResourceType = ResourceType.Image,
                    Tags = tags.Select(tag => new Tag(tag.Key, tag.Value)).ToList(),
                },
            ];
        }

        try
        {
            var response = await clients.Ec2().RegisterImageAsync(request, cancellationToken);
            return response.ImageId;
        }
        catch (AmazonEC2Exception exception) when (exception.ErrorCode is "InvalidManifest" or "InvalidAMIName.Duplicate" or "InvalidAMIName.Malformed")
        {
            throw new PipelineException($"EC2 refused to register {location} as '{name}': {exception.Message} ({exception.ErrorCode}).", exception);
        }
    }

    private async Task<WaitProbe<string>> ProbeImageAsync(string imageId, CancellationToken cancellationToken)
    {
        DescribeImagesResponse response;
        try
        {
            response = await clients.Ec2().DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId] }, cancellationToken);
        }
        catch (AmazonEC2Exception exception) when (exception.ErrorCode == "InvalidAMIID.NotFound")
        {
            // EC2 is eventually consistent: a just-registered image may not be visible yet.
            return WaitProbe<string>.Pending("not visible yet");
        }

        var image = response.Images?.FirstOrDefault();
        if (image is null)
        {
            return WaitProbe<string>.Pending("not visible yet");
        }

        if (image.State == ImageState.Available)
        {
            return WaitProbe<string>.Done(imageId);
        }

        if (image.State == ImageState.Failed || image.State == ImageState.Error || image.State == ImageState.Invalid || image.State == ImageState.Deregistered)
        {
            return WaitProbe<string>.Failed($"it is {image.State} ({image.StateReason?.Message ?? image.StateReason?.Code ?? "no reason given"})");
        }

        return WaitProbe<string>.Pending(image.State?.Value ?? "pending");
    }

    private async Task<IReadOnlyList<Image>> FindOwnImagesNamedAsync(string name, CancellationToken cancellationToken)
    {
        var response = await clients.Ec2().DescribeImagesAsync(
            new DescribeImagesRequest
            {
                Owners = ["self"],
                Filters = [new Filter("name", [name])],
            },
            cancellationToken);
        return (response.Images ?? []).Where(image => image.Name == name && image.State != ImageState.Deregistered).ToArray();
    }
}
