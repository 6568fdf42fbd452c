using Amazon.EC2;
using Amazon.EC2.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Images;
using ImagePipeline.Strategies.Ebs.Instances;
using ImagePipeline.Strategies.Ebs.Parameters;
using ImagePipeline.Strategies.Ebs.State;

namespace ImagePipeline.Strategies.Ebs.Steps;

/// <summary>
/// Captures the instance with CreateImage (its volumes become snapshots), and records the image id at once so that a
/// failed run removes it, with its snapshots, unless --keep-on-failure.
/// </summary>
public sealed class CreateImageFromInstance(ICloudClients clients, SourceInstance instances, CapturedImages captured) : IPipelineStep
{
    public async ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        foreach (var option in VolumeImageParameters.All.Append(EbsParameters.AttachedDevicePath).Where(parameters.IsSet))
        {
            context.AddError($"{option} applies to an instance-store-backed instance, whose root file system is imaged onto a new volume; CreateImage captures this EBS-backed instance's volumes as they are, so drop {option}.");
        }

        if (!parameters.IsSet(CommonParameters.InstanceId) || !parameters.IsSet(CommonParameters.ImageName))
        {
            // The strategy reports the missing parameters.
            return;
        }

        var instanceId = parameters.Get(CommonParameters.InstanceId);
        var platform = parameters.Get(CommonParameters.Platform);
        var instance = await instances.FindAsync(instanceId, cancellationToken);
        if (instance is null)
        {
            context.AddError($"Instance {instanceId} does not exist in {clients.Region}; check --instance-id and --region.");
        }
        else
        {
            ValidateInstance(context, instance, platform);
            await ValidateRootVolumeSizeAsync(context, instance, cancellationToken);
        }
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var region = clients.Region;
        var instanceId = InstanceSource.InstanceId(context);
        if (context.State.TryGet(EbsState.CapturedImage, out var earlier))
        {
            // A resumed run: the image exists already; creating another would leave two.
            context.Note = earlier.ImageId;
            return;
        }

        var (createdName, finalName) = await captured.NamesAsync(context, cancellationToken);

        var noReboot = parameters.Get(EbsParameters.NoReboot);
        if (noReboot)
        {
            context.Logger.ImagingWithoutReboot(instanceId);
        }

        if (parameters.Get(CommonParameters.Platform) == Platform.Windows && !parameters.Get(EbsParameters.Generalize))
        {
            context.Logger.ImageKeepsIdentity(instanceId);
        }

        var instance = await instances.GetAsync(instanceId, cancellationToken);
        context.Logger.CreatingImage(createdName, instanceId, region);
        var response = await clients.Ec2().CreateImageAsync(
            new CreateImageRequest
            {
                InstanceId = instanceId,
                Name = createdName,
                Description = parameters.GetOrDefault(CommonParameters.ImageDescription),
                NoReboot = noReboot,
                BlockDeviceMappings = BlockDeviceOverrides(instance, parameters),
                // Only the image is tagged here: moto (and LocalStack, which uses moto's EC2) fail CreateImage with a
                // snapshot tag specification. The snapshots are tagged once the image names them (WaitForSnapshots),
                // as Packer does; the image's run-id tag is what a cleanup needs to find it and, through it, its snapshots.
                TagSpecifications = [EbsTags.Specification(ResourceType.Image, TagList.Parse(parameters.Get(CommonParameters.Tags)), context.RunId)],
            },
            cancellationToken);

        await captured.RecordAsync(context, response.ImageId, createdName, finalName, cancellationToken);
    }

    public Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken) => captured.CleanupAsync(context, cancellationToken);

    private static void ValidateInstance(ValidationContext context, Instance instance, Platform platform)
    {
        var instanceId = instance.InstanceId;
        if (instance.RootDeviceType != DeviceType.Ebs)
        {
            // An instance-store Linux instance is planned apart (its root file system imaged onto a new volume), so only Windows gets here.
            context.AddError($"Instance {instanceId} is an instance-store-backed Windows instance, and AWS cannot create an EBS-backed AMI from an instance-store-backed Windows instance; bake it with --backing-store instance-store, or start from an EBS-backed Windows image.");
        }

        var state = instance.State?.Name;
        if (state != InstanceStateName.Running && state != InstanceStateName.Stopped)
        {
            context.AddError($"Instance {instanceId} is {state?.Value ?? "in an unknown state"}; it can be imaged only when running or stopped, so wait until it settles and run again.");
        }

        var isWindows = instance.Platform == PlatformValues.Windows;
        if (isWindows != (platform == Platform.Windows))
        {
            context.AddError($"Instance {instanceId} runs {(isWindows ? "Windows" : "Linux")} but --platform is {KebabCase.From(platform)}; pass --platform {(isWindows ? "windows" : "linux")}.");
        }

        var attached = (instance.BlockDeviceMappings ?? []).Select(mapping => mapping.DeviceName).ToHashSet(StringComparer.Ordinal);
        foreach (var device in context.Parameters.Get(EbsParameters.ExcludeDevices))
        {
            if (device == instance.RootDeviceName)
            {
                context.AddError($"--exclude-devices {device} is the root volume of instance {instanceId}, which an image cannot leave out; remove it from the list.");
            }
            else if (!attached.Contains(device))
            {
                context.AddError($"--exclude-devices {device} is not attached to instance {instanceId} (attached: {string.Join(", ", attached.Order(StringComparer.Ordinal))}); fix the device name.");
            }
        }
    }

    /// <summary>CreateImage can grow the root volume of the image, never shrink it below the instance's.</summary>
    private async Task ValidateRootVolumeSizeAsync(ValidationContext context, Instance instance, CancellationToken cancellationToken)
    {
        if (!context.Parameters.TryGet(EbsParameters.RootVolumeSize, out var requested)
            || (instance.BlockDeviceMappings ?? []).FirstOrDefault(mapping => mapping.DeviceName == instance.RootDeviceName)?.Ebs?.VolumeId is not { } volumeId)
        {
            return;
        }

        var response = await clients.Ec2().DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = [volumeId] }, cancellationToken);
        if ((response.Volumes ?? []).FirstOrDefault()?.Size is { } size && requested < size)
        {
            context.AddError($"--root-volume-size {requested} is smaller than the {size} GiB root volume of instance {instance.InstanceId}; an image can only grow it, so pass {size} or more.");
        }
    }

    /// <summary>NoDevice for excluded devices; the root size and the volume type where the user asked for them.</summary>
    private static List<BlockDeviceMapping> BlockDeviceOverrides(Instance instance, IParameterValues parameters)
    {
        var excluded = parameters.Get(EbsParameters.ExcludeDevices).ToHashSet(StringComparer.Ordinal);
        var rootSize = parameters.IsSet(EbsParameters.RootVolumeSize) ? parameters.Get(EbsParameters.RootVolumeSize) : (int?)null;
        var volumeType = parameters.GetOrDefault(EbsParameters.VolumeType);
        var mappings = new List<BlockDeviceMapping>();
        foreach (var device in (instance.BlockDeviceMappings ?? []).Select(mapping => mapping.DeviceName))
        {
            if (excluded.Contains(device))
            {
                mappings.Add(new BlockDeviceMapping { DeviceName = device, NoDevice = string.Empty });
                continue;
            }

            var isRoot = device == instance.RootDeviceName;
            if ((isRoot && rootSize is not null) || volumeType is not null)
            {
                mappings.Add(new BlockDeviceMapping
                {
                    DeviceName = device,
                    Ebs = new EbsBlockDevice
                    {
                        VolumeSize = isRoot ? rootSize : null,
                        VolumeType = volumeType is null ? null : new VolumeType(volumeType),
                    },
                });
            }
        }

        return mappings;
    }
}
