using Amazon.EC2;
using Amazon.EC2.Model;
using ImagePipeline.Abstractions;
using InstanceState = ImagePipeline.Abstractions.InstanceState;

namespace ImagePipeline.Instances.Launching;

/// <summary>
/// LaunchInstance: starts one instance from the base image (RunInstances, idempotent through a client token made from the
/// run id) and records it at once; waits until it runs, to know its address. A resumed run reuses the instance it
/// launched while it still runs and can be logged in to. The cleanup terminates it, after success too (the image is
/// captured), unless <c>--keep-instance</c>, or <c>--keep-on-failure</c> on a failed run; it waits until the instance is
/// gone, so the temporary security group can be deleted next.
/// </summary>
public sealed class LaunchSourceInstance(ICloudClients clients, ResourceWaiter waiter) : IPipelineStep
{
    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var image = context.State.Get(LaunchState.SourceImage);
        context.State.TryGet(LaunchState.TemporaryKeyPair, out var keyPair);
        if (InstanceSource.Launched(context.State) is { } earlier)
        {
            if (await ReusableAsync(context, earlier, keyPair, cancellationToken))
            {
                context.Note = $"{earlier.InstanceId} (reused)";
                return;
            }

            context.State.Remove(InstanceState.Launched);
            await context.CheckpointAsync(cancellationToken);
        }

        var launchCount = context.State.GetOrDefault(LaunchState.LaunchCount, 0) + 1;
        context.State.Set(LaunchState.LaunchCount, launchCount);
        await context.CheckpointAsync(cancellationToken);

        var instanceType = ResolveSourceImage.InstanceTypeFor(image, parameters);
        var request = new RunInstancesRequest
        {
            ImageId = image.ImageId,
            InstanceType = instanceType,
            MinCount = 1,
            MaxCount = 1,
            // Idempotent: a retried call (lost answer) gets the same instance, never a second one.
            ClientToken = $"imagepipeline-{context.RunId}-{launchCount}",
            KeyName = keyPair?.KeyName ?? parameters.GetOrDefault(LaunchParameters.SshKeyPairName),
            TagSpecifications = [InstanceTags(context, "instance", image), InstanceTags(context, "volume", image)],
        };
        var groups = context.State.TryGet(LaunchState.TemporarySecurityGroup, out var groupId) ? [groupId] : parameters.Get(LaunchParameters.SecurityGroupIds).ToList();
        if (parameters.TryGet(LaunchParameters.IamInstanceProfile, out var profile))
        {
            request.IamInstanceProfile = profile.StartsWith("arn:", StringComparison.Ordinal) ? new IamInstanceProfileSpecification { Arn = profile } : new IamInstanceProfileSpecification { Name = profile };
        }

        if (parameters.TryGet(LaunchParameters.UserDataFile, out var userData))
        {
            request.UserData = Convert.ToBase64String(await File.ReadAllBytesAsync(Path.GetFullPath(userData), cancellationToken));
        }

        if (parameters.Get(LaunchParameters.AssociatePublicIp))
        {
            // A public address is asked for on the network interface, which then carries the subnet and groups too.
            request.NetworkInterfaces =
            [
                new InstanceNetworkInterfaceSpecification
                {
                    DeviceIndex = 0,
                    AssociatePublicIpAddress = true,
                    SubnetId = parameters.GetOrDefault(LaunchParameters.SubnetId),
                    Groups = groups.Count > 0 ? groups : null,
                    DeleteOnTermination = true,
                },
            ];
        }
        else
        {
            request.SubnetId = parameters.GetOrDefault(LaunchParameters.SubnetId);
            request.SecurityGroupIds = groups.Count > 0 ? groups : null;
        }

        var response = await clients.Ec2().RunInstancesAsync(request, cancellationToken);
        var launched = response.Reservation.Instances.Single();

        // A new instance: whatever an earlier attempt provisioned, copied or imaged was on another one.
        context.RedoLaterSteps();
        context.State.Set(InstanceState.Launched, new LaunchedInstance(
            launched.InstanceId, image.ImageId, launched.Placement?.AvailabilityZone ?? string.Empty, image.RootDeviceType, image.Architecture, null));
        if (keyPair is not null)
        {
            context.State.Set(LaunchState.LaunchedWithKeyPairId, keyPair.KeyPairId);
        }

        await context.CheckpointAsync(cancellationToken);
        context.Logger.InstanceLaunched(launched.InstanceId, instanceType, image.ImageId, launched.Placement?.AvailabilityZone ?? "?");

        var running = await WaitForStateAsync(launched.InstanceId, [InstanceStateName.Running], parameters, cancellationToken);
        context.State.Set(InstanceState.Launched, new LaunchedInstance(
            running.InstanceId, image.ImageId, running.Placement?.AvailabilityZone ?? string.Empty, image.RootDeviceType, image.Architecture, Endpoint(running, image, parameters, keyPair)));
        await context.CheckpointAsync(cancellationToken);
        context.Note = running.InstanceId;
    }

    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (InstanceSource.Launched(context.State) is not { } launched)
        {
            return CleanupOutcome.NothingToUndo;
        }

        if (KeepsInstance(context) is { } reason)
        {
            context.Logger.KeepingInstance(launched.InstanceId, reason);
            // Kept. When its temporary key goes with the run's secrets, the key pair's step runs again on resume, and so
            // does this one (the engine reruns the rest of a target), which then replaces the instance and has every
            // later step run again on the new one.
            return CleanupOutcome.Kept;
        }

        await TerminateAsync(context, launched.InstanceId, cancellationToken);
        context.State.Remove(InstanceState.Launched);
        context.State.Remove(LaunchState.LaunchedWithKeyPairId);
        return CleanupOutcome.Undone;
    }

    /// <summary>Why the launched instance stays when the run ends (<c>--keep-instance</c>, or <c>--keep-on-failure</c> after a failure), or null when it goes.</summary>
    public static string? KeepsInstance(StepContext context) =>
        context.Parameters.Get(LaunchParameters.KeepInstance) ? LaunchParameters.KeepInstance.ToString()
        : context.Outcome is RunOutcome.Failed or RunOutcome.Cancelled && context.KeepOnFailure ? CommonParameters.KeepOnFailure.ToString()
        : null;

    /// <summary>True when the recorded instance still runs and can be logged in to as before; otherwise it is terminated (when alive) for a launch anew.</summary>
    private async Task<bool> ReusableAsync(StepContext context, LaunchedInstance earlier, TemporaryKeyPair? keyPair, CancellationToken cancellationToken)
    {
        var instance = await FindAsync(earlier.InstanceId, cancellationToken);
        var state = instance?.State?.Name;
        if (state != InstanceStateName.Pending && state != InstanceStateName.Running)
        {
            context.Logger.InstanceGone(earlier.InstanceId, state?.Value ?? "gone");
            return false;
        }

        if (context.State.TryGet(LaunchState.LaunchedWithKeyPairId, out var launchedWith) && (keyPair is null || keyPair.KeyPairId != launchedWith || !File.Exists(keyPair.PrivateKeyFile)))
        {
            context.Logger.InstanceUnreachable(earlier.InstanceId);
            await TerminateAsync(context, earlier.InstanceId, cancellationToken);
            context.State.Remove(LaunchState.LaunchedWithKeyPairId);
            return false;
        }

        context.Logger.InstanceReused(earlier.InstanceId, state.Value);
        if (earlier.Ssh is null && state == InstanceStateName.Pending)
        {
            var image = context.State.Get(LaunchState.SourceImage);
            var running = await WaitForStateAsync(earlier.InstanceId, [InstanceStateName.Running], context.Parameters, cancellationToken);
            context.State.Set(InstanceState.Launched, earlier with { Ssh = Endpoint(running, image, context.Parameters, keyPair) });
            await context.CheckpointAsync(cancellationToken);
        }

        return true;
    }

    private async Task TerminateAsync(StepContext context, string instanceId, CancellationToken cancellationToken)
    {
        context.Logger.TerminatingInstance(instanceId);
        try
        {
            await clients.Ec2().TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [instanceId] }, cancellationToken);
        }
        catch (AmazonEC2Exception exception) when (exception.ErrorCode == "InvalidInstanceID.NotFound")
        {
            return;
        }

        await WaitForStateAsync(instanceId, [InstanceStateName.Terminated], context.Parameters, cancellationToken);
    }

    /// <summary>How to log in: on Linux, when a key is there to log in with (the temporary one, or <c>--ssh-key</c>); the public address, else the private one.</summary>
    private static SshEndpoint? Endpoint(Instance instance, SourceImage image, IParameterValues parameters, TemporaryKeyPair? keyPair)
    {
        var keyFile = keyPair?.PrivateKeyFile ?? parameters.GetOrDefault(CommonParameters.SshKey);
        var host = !string.IsNullOrEmpty(instance.PublicIpAddress) ? instance.PublicIpAddress : instance.PrivateIpAddress;
        return image.IsWindows || keyFile is null || string.IsNullOrEmpty(host)
            ? null
            : new SshEndpoint(host, parameters.Get(CommonParameters.SshPort), parameters.Get(CommonParameters.SshUser), keyFile)
            {
                HostKeyFingerprint = parameters.GetOrDefault(CommonParameters.SshHostKeyFingerprint),
            };
    }

    private static TagSpecification InstanceTags(StepContext context, string resourceType, SourceImage image)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Name"] = $"imagepipeline {context.RunId} from {image.Name}",
        };
        foreach (var (key, value) in TagList.Parse(context.Parameters.Get(LaunchParameters.InstanceTags)))
        {
            tags[key] = value;
        }

        tags[TemporaryResourceNames.RunIdTag] = context.RunId;
        return new TagSpecification { ResourceType = resourceType, Tags = [.. tags.Select(tag => new Tag(tag.Key, tag.Value))] };
    }

    private async Task<Instance?> FindAsync(string instanceId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await clients.Ec2().DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instanceId] }, cancellationToken);
            return (response.Reservations ?? []).SelectMany(reservation => reservation.Instances ?? []).FirstOrDefault(instance => instance.InstanceId == instanceId);
        }
        catch (AmazonEC2Exception exception) when (exception.ErrorCode == "InvalidInstanceID.NotFound")
        {
            return null;
        }
    }

    private Task<Instance> WaitForStateAsync(string instanceId, IReadOnlyList<InstanceStateName> wanted, IParameterValues parameters, CancellationToken cancellationToken) =>
        waiter.UntilAsync(
            $"instance {instanceId} to be {string.Join(" or ", wanted.Select(state => state.Value))}",
            async token =>
            {
                var instance = await FindAsync(instanceId, token);
                var state = instance?.State?.Name ?? InstanceStateName.Terminated;
                if (wanted.Contains(state))
                {
                    return WaitProbe<Instance>.Done(instance ?? new Instance { InstanceId = instanceId });
                }

                return !wanted.Contains(InstanceStateName.Terminated) && (state == InstanceStateName.Terminated || state == InstanceStateName.ShuttingDown)
                    ? WaitProbe<Instance>.Failed($"the instance is {state.Value}{(instance?.StateReason?.Message is { } why ? $" ({why})" : string.Empty)}")
                    : WaitProbe<Instance>.Pending(state.Value);
            },
            parameters,
            cancellationToken);
}
