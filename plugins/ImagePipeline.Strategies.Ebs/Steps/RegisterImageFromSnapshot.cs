using Amazon.EC2;
using Amazon.EC2.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Images;
using ImagePipeline.Strategies.Ebs.Instances;
using ImagePipeline.Strategies.Ebs.Parameters;
using ImagePipeline.Strategies.Ebs.State;

namespace ImagePipeline.Strategies.Ebs.Steps;

/// <summary>
/// Registers the EBS-backed image with the root volume's snapshot as its root device, carrying over what the instance
/// runs with (architecture, virtualization type, ENA support, boot mode, kernel and ramdisk of a paravirtual instance,
/// its base image's instance-store volumes), and records it at once as the captured image, so the publish steps and the
/// failure cleanup treat it as they treat one CreateImage made.
/// </summary>
public sealed class RegisterImageFromSnapshot(ICloudClients clients, SourceInstance instances, OwnedImages images, CapturedImages captured) : IPipelineStep
{
    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (context.State.TryGet(EbsState.CapturedImage, out var earlier))
        {
            // A resumed run: the image exists already; registering another would leave two.
            context.Note = earlier.ImageId;
            return;
        }

        var parameters = context.Parameters;
        var finalName = context.State.Get(EbsState.ImageName);
        var temporaryName = TemporaryImageName.For(finalName, context.RunId);
        if ((await images.FindByRunAsync(clients.Region, context.RunId, cancellationToken)).FirstOrDefault(image => image.Name == finalName || image.Name == temporaryName) is { } registered)
        {
            // An earlier attempt registered it, and its answer was lost: RegisterImage has no client token, the run-id tag finds it.
            await captured.RecordAsync(context, registered.ImageId, registered.Name, finalName, cancellationToken);
            return;
        }

        var (createdName, _) = await captured.NamesAsync(context, cancellationToken);

        var snapshotId = context.State.Get(EbsState.RootSnapshot);
        var instance = await instances.GetAsync(InstanceSource.InstanceId(context), cancellationToken);
        var source = await images.FindAsync(clients.Region, instance.ImageId, cancellationToken);
        var rootDevice = instance.RootDeviceName ?? source?.RootDeviceName ?? "/dev/xvda";
        var request = new RegisterImageRequest
        {
            Name = createdName,
            Description = parameters.GetOrDefault(CommonParameters.ImageDescription),
            Architecture = instance.Architecture ?? source?.Architecture,
            VirtualizationType = instance.VirtualizationType?.Value ?? source?.VirtualizationType?.Value,
            EnaSupport = instance.EnaSupport ?? source?.EnaSupport,
            BootMode = instance.BootMode ?? source?.BootMode,
            RootDeviceName = rootDevice,
            BlockDeviceMappings =
            [
                new BlockDeviceMapping
                {
                    DeviceName = rootDevice,
                    Ebs = new EbsBlockDevice
                    {
                        SnapshotId = snapshotId,
                        VolumeType = new VolumeType(parameters.GetOrDefault(EbsParameters.VolumeType) ?? CreateRootVolume.DefaultVolumeType),
                        DeleteOnTermination = true,
                    },
                },
                .. InstanceStoreVolumesOf(source, rootDevice),
            ],
            TagSpecifications = [EbsTags.Specification(ResourceType.Image, TagList.Parse(parameters.Get(CommonParameters.Tags)), context.RunId)],
        };
        if (instance.VirtualizationType == VirtualizationType.Paravirtual)
        {
            request.KernelId = instance.KernelId;
            request.RamdiskId = instance.RamdiskId;
        }

        context.Logger.RegisteringImageFromSnapshot(createdName, snapshotId, request.Architecture?.Value ?? "unknown", request.VirtualizationType ?? "unknown", request.EnaSupport, request.BootMode?.Value ?? "AWS's default");
        var response = await clients.Ec2().RegisterImageAsync(request, cancellationToken);
        await captured.RecordAsync(context, response.ImageId, createdName, finalName, cancellationToken);
    }

    public Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken) => captured.CleanupAsync(context, cancellationToken);

    /// <summary>The ephemeral (instance-store) volumes of the base image, so instances of the new image get them too.</summary>
    private static IEnumerable<BlockDeviceMapping> InstanceStoreVolumesOf(Image? source, string rootDevice) =>
        (source?.BlockDeviceMappings ?? [])
            .Where(mapping => mapping.VirtualName?.StartsWith("ephemeral", StringComparison.Ordinal) == true && mapping.DeviceName != rootDevice)
            .Select(mapping => new BlockDeviceMapping { DeviceName = mapping.DeviceName, VirtualName = mapping.VirtualName });
}
