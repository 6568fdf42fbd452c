using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.S3.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Bundles;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using ImagePipeline.Strategies.InstanceStore.State;
using ImagePipeline.Strategies.InstanceStore.Uploads;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Strategies.InstanceStore.Steps;

/// <summary>
/// BundleVolume for Windows: asks EC2 to bundle a running instance-store Windows instance into the bucket
/// (BundleInstance, with a signed upload policy limited to the bundle prefix) and follows the bundle task until it
/// completes. A task that has not completed when the run fails or is cancelled is cancelled; what it stored is deleted
/// when the run is undone.
/// </summary>
public sealed class BundleWindowsInstance(ICloudClients clients, ResourceWaiter waiter, TimeProvider timeProvider) : IPipelineStep
{
    private static readonly HashSet<string> RefusalCodes = new(StringComparer.Ordinal)
    {
        "UnsupportedOperation", "Unsupported", "OperationNotPermitted", "UnsupportedInstanceType", "InvalidInstanceType",
    };

    public async ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        // An instance the run launches does not exist yet; LaunchInstance checks what it starts.
        if (InstanceSource.WillLaunch(context.Parameters) || !context.Require(CommonParameters.InstanceId, "to say which running instance-store Windows instance EC2 should bundle"))
        {
            return;
        }

        var instanceId = context.Parameters.Get(CommonParameters.InstanceId);
        Instance? instance;
        try
        {
            var response = await clients.Ec2().DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instanceId] }, cancellationToken);
            instance = response.Reservations?.SelectMany(reservation => reservation.Instances ?? []).FirstOrDefault();
        }
        catch (AmazonEC2Exception exception) when (exception.ErrorCode is "InvalidInstanceID.NotFound" or "InvalidInstanceID.Malformed")
        {
            instance = null;
        }

        if (instance is null)
        {
            context.AddError($"--instance-id {instanceId} was not found in {clients.Region}; pass the id of a running instance-store Windows instance in the run's --region.");
            return;
        }

        if (instance.State?.Name != InstanceStateName.Running)
        {
            context.AddError($"Instance {instanceId} is {instance.State?.Name?.Value ?? "in an unknown state"}, but BundleInstance needs it running; start it, or pass another --instance-id.");
        }

        if (instance.Platform != PlatformValues.Windows)
        {
            context.AddError($"Instance {instanceId} is not a Windows instance; bundle Linux with --platform linux (--image-file or --instance-host).");
        }

        if (instance.RootDeviceType != DeviceType.InstanceStore)
        {
            context.AddError($"Instance {instanceId} is EBS-backed, and BundleInstance only bundles instance-store instances; image it with --backing-store ebs.");
        }
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var bucket = context.Parameters.Get(InstanceStoreParameters.Bucket);
        var prefix = BundlePrefixes.Of(context);
        if (!context.State.TryGet(InstanceStoreState.BundleTaskId, out var bundleId))
        {
            bundleId = await StartBundleTaskAsync(context, bucket, prefix, cancellationToken);
            context.State.Set(InstanceStoreState.BundleTaskId, bundleId);
            await context.CheckpointAsync(cancellationToken);
        }

        using (var scope = context.Progress.Start($"EC2 bundling {InstanceSource.InstanceId(context)} ({bundleId})", 100, ProgressUnit.Percent))
        {
            await waiter.WaitAsync(
                $"Bundle task {bundleId}",
                token => ProbeBundleTaskAsync(bundleId, token),
                context.Parameters.Get(CommonParameters.PollDelay),
                context.Parameters.Get(CommonParameters.MaxWait),
                scope,
                cancellationToken);
        }

        context.State.Set(InstanceStoreState.BundleTaskCompleted, true);
        var location = $"{bucket}/{BundleFiles.ManifestFileName(prefix)}";
        context.State.Set(InstanceStoreState.ManifestLocation, location);
        context.Outputs.Set(WellKnownOutputs.ManifestLocation, location);
        context.Outputs.Set(WellKnownOutputs.Bucket, bucket);
        context.Note = $"{bundleId} complete";
    }

    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (!context.State.TryGet(InstanceStoreState.BundleTaskId, out var bundleId))
        {
            return CleanupOutcome.NothingToUndo;
        }

        if (!context.ShouldUndo)
        {
            return CleanupOutcome.Kept;
        }

        if (!context.State.GetOrDefault(InstanceStoreState.BundleTaskCompleted, false))
        {
            try
            {
                await clients.Ec2().CancelBundleTaskAsync(new CancelBundleTaskRequest { BundleId = bundleId }, cancellationToken);
                context.Logger.BundleTaskCancelled(bundleId);
            }
            catch (AmazonEC2Exception exception)
            {
                // A task that already ended cannot be cancelled; what it stored is deleted below all the same.
                context.Logger.BundleTaskCancelRefused(bundleId, exception.ErrorCode ?? exception.Message);
            }
        }
        else if (context.State.Contains(InstanceStoreState.RegisteredImageId))
        {
            // The registered image still needs the bundle.
            return CleanupOutcome.Kept;
        }

        var bucket = context.Parameters.Get(InstanceStoreParameters.Bucket);
        var prefix = BundlePrefixes.Of(context);
        var s3 = clients.S3();
        var listing = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix + "." }, cancellationToken);
        var keys = (listing.S3Objects ?? [])
            .Select(entry => entry.Key)
            .Where(key => key == BundleFiles.ManifestFileName(prefix) || key.StartsWith(prefix + ".part.", StringComparison.Ordinal))
            .ToArray();
        // EC2 writes these without a run id; the prefix is this run's own (unique, or checked free in validation).
        await UploadedObjects.DeleteOwnAsync(s3, bucket, keys, context.RunId, unmarkedAreOurs: true, context.Logger, cancellationToken);
        context.State.Remove(InstanceStoreState.BundleTaskId);
        context.State.Remove(InstanceStoreState.BundleTaskCompleted);
        context.State.Remove(InstanceStoreState.ManifestLocation);
        context.Outputs.Remove(WellKnownOutputs.ManifestLocation);
        return CleanupOutcome.Undone;
    }

    private async Task<string> StartBundleTaskAsync(StepContext context, string bucket, string prefix, CancellationToken cancellationToken)
    {
        var instanceId = InstanceSource.InstanceId(context);
        var policy = await clients.SignUploadPolicyAsync(BundleUploadPolicy.Create(bucket, prefix, timeProvider.GetUtcNow()), cancellationToken);
        try
        {
            var response = await clients.Ec2().BundleInstanceAsync(
                new BundleInstanceRequest
                {
                    InstanceId = instanceId,
                    Storage = new Storage
                    {
                        S3 = new S3Storage
                        {
                            Bucket = bucket,
                            Prefix = prefix,
                            AWSAccessKeyId = policy.AccessKeyId,
                            // The SDK base64-encodes this blob itself, so it gets the policy bytes the signature was computed over.
                            UploadPolicy = new MemoryStream(Convert.FromBase64String(policy.PolicyBase64)),
                            UploadPolicySignature = policy.Signature,
                        },
                    },
                },
                cancellationToken);
            context.Logger.BundleTaskStarted(response.BundleTask.BundleId, instanceId, bucket, prefix);
            return response.BundleTask.BundleId;
        }
        catch (AmazonEC2Exception exception) when (exception.ErrorCode == "BundlingInProgress")
        {
            throw new PipelineException($"Instance {instanceId} is already being bundled by another bundle task; wait for it to end (DescribeBundleTasks), or cancel it, then run again.", exception);
        }
        catch (AmazonEC2Exception exception) when (IsRefusal(exception))
        {
            throw PipelineException.Input(
                $"AWS refused to bundle instance-store Windows instance {instanceId} ({exception.ErrorCode}: BundleInstance is no longer supported); bake an EBS-backed Windows image instead with --backing-store ebs.",
                exception);
        }
    }

    private static bool IsRefusal(AmazonEC2Exception exception) =>
        (exception.ErrorCode is { } code && RefusalCodes.Contains(code))
        || exception.Message.Contains("not supported", StringComparison.OrdinalIgnoreCase)
        || exception.Message.Contains("no longer supported", StringComparison.OrdinalIgnoreCase);

    private async Task<WaitProbe<BundleTask>> ProbeBundleTaskAsync(string bundleId, CancellationToken cancellationToken)
    {
        var response = await clients.Ec2().DescribeBundleTasksAsync(new DescribeBundleTasksRequest { BundleIds = [bundleId] }, cancellationToken);
        var task = response.BundleTasks?.FirstOrDefault();
        if (task is null)
        {
            return WaitProbe<BundleTask>.Pending("not visible yet");
        }

        if (task.State == BundleTaskState.Complete)
        {
            return WaitProbe<BundleTask>.Done(task);
        }

        if (task.State == BundleTaskState.Failed || task.State == BundleTaskState.Cancelling)
        {
            return WaitProbe<BundleTask>.Failed($"it is {task.State} ({task.BundleTaskError?.Message ?? task.BundleTaskError?.Code ?? "no reason given"})");
        }

        int? percent = int.TryParse(task.Progress?.TrimEnd('%'), out var value) ? value : null;
        return WaitProbe<BundleTask>.Pending(task.State?.Value ?? "pending", percent);
    }
}
