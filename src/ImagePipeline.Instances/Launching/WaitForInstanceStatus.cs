using Amazon.EC2.Model;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Instances.Launching;

/// <summary>LaunchInstance: waits until the launched instance passes its instance and system status checks.</summary>
public sealed class WaitForInstanceStatus(ICloudClients clients, ResourceWaiter waiter) : IPipelineStep
{
    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var instanceId = InstanceSource.InstanceId(context);
        await waiter.UntilAsync(
            $"instance {instanceId} to pass its status checks",
            async token =>
            {
                var response = await clients.Ec2().DescribeInstanceStatusAsync(
                    new DescribeInstanceStatusRequest { InstanceIds = [instanceId], IncludeAllInstances = true }, token);
                var status = (response.InstanceStatuses ?? []).FirstOrDefault(item => item.InstanceId == instanceId);
                var state = status?.InstanceState?.Name?.Value ?? "pending";
                if (state is "shutting-down" or "terminated" or "stopping" or "stopped")
                {
                    return WaitProbe<bool>.Failed($"the instance is {state}");
                }

                var instanceCheck = status?.Status?.Status?.Value ?? "initializing";
                var systemCheck = status?.SystemStatus?.Status?.Value ?? "initializing";
                if (instanceCheck is "impaired" || systemCheck is "impaired")
                {
                    return WaitProbe<bool>.Failed($"its status checks report impaired (instance {instanceCheck}, system {systemCheck}); look at its system log in the EC2 console");
                }

                return instanceCheck == "ok" && systemCheck == "ok"
                    ? WaitProbe<bool>.Done(true)
                    : WaitProbe<bool>.Pending($"{state}, instance check {instanceCheck}, system check {systemCheck}");
            },
            context.Parameters,
            cancellationToken);
        context.Logger.StatusChecksPassed(instanceId);
        context.Note = "status checks passed";
    }

    /// <inheritdoc cref="ReadinessWait.CleanupAsync"/>
    public Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken) => ReadinessWait.CleanupAsync(context);
}
