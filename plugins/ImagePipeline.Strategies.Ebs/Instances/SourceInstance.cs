using Amazon.EC2;
using Amazon.EC2.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Parameters;

namespace ImagePipeline.Strategies.Ebs.Instances;

/// <summary>The instance being imaged: looks it up, stops it and starts it again, waiting for each state.</summary>
public sealed class SourceInstance(ICloudClients clients, ResourceWaiter waiter)
{
    /// <summary>The instance in the run's region, or null when it does not exist.</summary>
    public async Task<Instance?> FindAsync(string instanceId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await clients.Ec2().DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instanceId] }, cancellationToken);
            return (response.Reservations ?? [])
                .SelectMany(reservation => reservation.Instances ?? [])
                .FirstOrDefault(instance => instance.InstanceId == instanceId);
        }
        catch (AmazonEC2Exception exception) when (exception.ErrorCode is "InvalidInstanceID.NotFound" or "InvalidInstanceID.Malformed")
        {
            return null;
        }
    }

    public async Task<Instance> GetAsync(string instanceId, CancellationToken cancellationToken) =>
        await FindAsync(instanceId, cancellationToken)
        ?? throw new PipelineException($"Instance {instanceId} no longer exists in {clients.Region}; it was terminated while the run was imaging it.");

    public async Task StopAsync(string instanceId, CancellationToken cancellationToken) =>
        await clients.Ec2().StopInstancesAsync(new StopInstancesRequest { InstanceIds = [instanceId] }, cancellationToken);

    /// <summary>Starts the instance once it has settled (a stopping instance cannot be started), and waits until it runs.</summary>
    public async Task StartAsync(string instanceId, WaitSettings wait, CancellationToken cancellationToken)
    {
        var settled = await WaitForAsync(instanceId, [InstanceStateName.Stopped, InstanceStateName.Running], wait, cancellationToken);
        if (settled == InstanceStateName.Running)
        {
            return;
        }

        await clients.Ec2().StartInstancesAsync(new StartInstancesRequest { InstanceIds = [instanceId] }, cancellationToken);
        await WaitForAsync(instanceId, [InstanceStateName.Running], wait, cancellationToken);
    }

    public Task<InstanceStateName> WaitUntilStoppedAsync(string instanceId, WaitSettings wait, CancellationToken cancellationToken) =>
        WaitForAsync(instanceId, [InstanceStateName.Stopped], wait, cancellationToken);

    private Task<InstanceStateName> WaitForAsync(string instanceId, IReadOnlyList<InstanceStateName> wanted, WaitSettings wait, CancellationToken cancellationToken) =>
        waiter.WaitAsync(
            $"instance {instanceId} to be {string.Join(" or ", wanted.Select(state => state.Value))}",
            async token =>
            {
                var instance = await GetAsync(instanceId, token);
                var state = instance.State?.Name ?? InstanceStateName.Pending;
                if (wanted.Contains(state))
                {
                    return WaitProbe<InstanceStateName>.Done(state);
                }

                return state == InstanceStateName.Terminated || state == InstanceStateName.ShuttingDown
                    ? WaitProbe<InstanceStateName>.Failed($"the instance is {state.Value}")
                    : WaitProbe<InstanceStateName>.Pending(state.Value);
            },
            wait.PollDelay,
            wait.MaxWait,
            progress: null,
            cancellationToken);
}
