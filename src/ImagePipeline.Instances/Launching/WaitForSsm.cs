using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Instances.Launching;

/// <summary>LaunchInstance, when Windows provisioning or the strategy (--generalize) runs commands through SSM Run Command: waits until the instance's SSM agent reports online.</summary>
public sealed class WaitForSsm(ICloudClients clients, ResourceWaiter waiter) : IPipelineStep
{
    public ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        context.Require(LaunchParameters.IamInstanceProfile, "to reach a launched Windows instance through SSM Run Command (its --provision-script, or --generalize's Sysprep): the SSM agent needs an instance profile whose role allows it (AmazonSSMManagedInstanceCore)");
        return ValueTask.CompletedTask;
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var instanceId = InstanceSource.InstanceId(context);
        await waiter.UntilAsync(
            $"the SSM agent on {instanceId} to be online",
            async token =>
            {
                var response = await clients.Ssm().DescribeInstanceInformationAsync(
                    new DescribeInstanceInformationRequest { Filters = [new InstanceInformationStringFilter { Key = "InstanceIds", Values = [instanceId] }] }, token);
                var information = (response.InstanceInformationList ?? []).FirstOrDefault(item => item.InstanceId == instanceId);
                return information?.PingStatus == PingStatus.Online
                    ? WaitProbe<bool>.Done(true)
                    : WaitProbe<bool>.Pending(information?.PingStatus?.Value ?? "not registered yet");
            },
            context.Parameters,
            cancellationToken);
        context.Logger.SsmOnline(instanceId);
        context.Note = "SSM agent online";
    }

    /// <inheritdoc cref="ReadinessWait.CleanupAsync"/>
    public Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken) => ReadinessWait.CleanupAsync(context);
}
