using System.Globalization;
using Amazon.EC2;
using Amazon.EC2.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Images;
using ImagePipeline.Strategies.Ebs.Instances;
using ImagePipeline.Strategies.Ebs.Parameters;
using ImagePipeline.Strategies.Ebs.State;
using ImagePipeline.Strategies.Ebs.Volumes;

namespace ImagePipeline.Strategies.Ebs.Steps;

/// <summary>
/// For an instance-store-backed Linux instance: makes the EBS volume its root file system is imaged onto, in the
/// instance's zone, --root-volume-size GiB or the size of --volume's file system there, rounded up. The volume is
/// recorded as soon as AWS answers (and tagged, for an answer that was lost); it is deleted when the run ends, after
/// success too (the snapshot is what the image keeps), unless a failed run is kept with --keep-on-failure.
/// </summary>
public sealed class CreateRootVolume(ICloudClients clients, SourceInstance instances, IRemoteShell shell, RootVolumes volumes) : IPipelineStep
{
    private const long GiB = 1L << 30;

    /// <summary>The type the temporary volume and the image's root volume get unless --volume-type says otherwise.</summary>
    public const string DefaultVolumeType = "gp3";

    public async ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;

        // CreateImage's options: this instance is not captured by CreateImage, so each would be silently ignored.
        if (parameters.Get(EbsParameters.NoReboot))
        {
            context.AddError("--no-reboot does not apply to an instance-store-backed instance: it is never stopped (it cannot be), its root file system is copied while it runs; leave --no-reboot out.");
        }

        if (parameters.Get(EbsParameters.ExcludeDevices).Length > 0)
        {
            context.AddError("--exclude-devices does not apply to an instance-store-backed instance: only its root file system is imaged, onto one new volume; leave it out (--volume-exclude leaves folders out of the image).");
        }

        if (parameters.Get(EbsParameters.LeaveStopped))
        {
            context.AddError("--leave-stopped does not apply to an instance-store-backed instance, which is never stopped; leave it out.");
        }

        if (InstanceSource.WillLaunch(parameters) || !parameters.IsSet(CommonParameters.InstanceId))
        {
            return;
        }

        var instanceId = parameters.Get(CommonParameters.InstanceId);
        var instance = await instances.FindAsync(instanceId, cancellationToken);
        if (instance is null)
        {
            context.AddError($"Instance {instanceId} does not exist in {clients.Region}; check --instance-id and --region.");
            return;
        }

        if (instance.Platform == PlatformValues.Windows)
        {
            context.AddError($"Instance {instanceId} runs Windows but --platform is linux; pass --platform windows.");
        }

        if (instance.State?.Name != InstanceStateName.Running)
        {
            context.AddError($"Instance {instanceId} is {instance.State?.Name?.Value ?? "in an unknown state"}; an instance-store-backed instance is imaged while it runs, so start from a running one.");
        }
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (EbsState.RootVolumeSnapshotted(context.State) || context.State.TryGet(EbsState.RootVolume, out _))
        {
            // A resumed run: the volume (or what it was for) exists already; a second one would be left behind.
            context.Note = context.State.GetOrDefault(EbsState.RootVolume, "its snapshot exists");
            return;
        }

        var parameters = context.Parameters;
        var instanceId = InstanceSource.InstanceId(context);
        var zone = InstanceSource.Launched(context.State)?.AvailabilityZone
            ?? (await instances.GetAsync(instanceId, cancellationToken)).Placement.AvailabilityZone;
        var size = parameters.TryGet(EbsParameters.RootVolumeSize, out var given) ? given : await FileSystemSizeAsync(context, cancellationToken);
        var response = await clients.Ec2().CreateVolumeAsync(
            new CreateVolumeRequest
            {
                AvailabilityZone = zone,
                Size = size,
                VolumeType = new VolumeType(parameters.GetOrDefault(EbsParameters.VolumeType) ?? DefaultVolumeType),

                // The same token on a retry or a resumed attempt returns the volume made the first time.
                ClientToken = $"imagepipeline-{context.RunId}-root",
                TagSpecifications = [RootVolumeTags(ResourceType.Volume, context, instanceId)],
            },
            cancellationToken);
        var volumeId = response.Volume.VolumeId;
        context.State.Set(EbsState.RootVolume, volumeId);
        await context.CheckpointAsync(cancellationToken);
        context.Logger.RootVolumeCreated(volumeId, size, zone, instanceId);
        await volumes.WaitUntilAvailableAsync(volumeId, WaitSettings.From(parameters), cancellationToken);
        context.Note = string.Create(CultureInfo.InvariantCulture, $"{volumeId}, {size} GiB in {zone}");
    }

    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        var volumeIds = new HashSet<string>(StringComparer.Ordinal);
        if (context.State.TryGet(EbsState.RootVolume, out var recorded))
        {
            volumeIds.Add(recorded);
        }

        volumeIds.UnionWith(await volumes.FindByRunAsync(context.RunId, cancellationToken));
        if (volumeIds.Count == 0)
        {
            return CleanupOutcome.NothingToUndo;
        }

        if (context.Outcome != RunOutcome.Succeeded && !context.ShouldUndo)
        {
            foreach (var volumeId in volumeIds)
            {
                context.Logger.KeepingVolumeOnFailure(volumeId, clients.Region);
            }

            return CleanupOutcome.Kept;
        }

        foreach (var volumeId in volumeIds)
        {
            await volumes.DeleteAsync(volumeId, WaitSettings.From(context.Parameters), cancellationToken);
        }

        context.State.Remove(EbsState.RootVolume);
        context.State.Remove(EbsState.RootVolumeDevice);

        // After success the volume was only a means: its snapshot holds the image, so the step's work stands.
        return context.Outcome == RunOutcome.Succeeded ? CleanupOutcome.Kept : CleanupOutcome.Undone;
    }

    /// <summary>The run id, the instance it images and --tags, on the volume and on its snapshot.</summary>
    public static TagSpecification RootVolumeTags(ResourceType resourceType, StepContext context, string instanceId, IReadOnlyDictionary<string, string>? more = null)
    {
        var tags = new Dictionary<string, string>(more ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [EbsTags.RootVolumeOf] = instanceId,
        };
        return EbsTags.Specification(resourceType, tags, context.RunId);
    }

    /// <summary>The size of the file system at --volume on the instance, rounded up to whole GiB.</summary>
    private async Task<int> FileSystemSizeAsync(StepContext context, CancellationToken cancellationToken)
    {
        var volume = context.Parameters.Get(VolumeImageParameters.Volume);
        await using var session = await shell.ConnectAsync(InstanceSource.Ssh(context), context.Logger, cancellationToken);
        var answer = await session.ReadAsync($"df -P -B1 -- {RemoteCommands.Quote(volume)} | awk 'NR == 2 {{ print $2 }}'", $"Reading the size of {volume}", cancellationToken);
        return long.TryParse(answer.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes > 0
            ? (int)Math.Max(1, (bytes + GiB - 1) / GiB)
            : throw new PipelineException($"Could not read the size of {volume} on {session.Host} (df printed '{answer.Trim()}'); pass --root-volume-size in GiB.");
    }
}
