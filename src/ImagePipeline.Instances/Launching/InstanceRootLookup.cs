using Amazon.EC2;
using Amazon.EC2.Model;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Instances.Launching;

/// <summary>
/// The root device of the instance a run captures, read from the cloud before the run is validated: the base image's
/// (the one recorded by an earlier attempt, so a resumed run keeps its plan even if a newer image now matches the
/// filter), else <c>--instance-id</c>'s. Null when there is nothing to read, or the read finds nothing: validation then
/// reports why, against the plan for an EBS root.
/// </summary>
public sealed class InstanceRootLookup(SourceImages images, ICloudClients clients)
{
    public async Task<InstanceRoot?> FindAsync(IParameterValues parameters, RunState? resumedState, CancellationToken cancellationToken)
    {
        if (resumedState?.TryGet(LaunchState.SourceImage, out var recorded) == true)
        {
            return RootOf(recorded.RootDeviceType);
        }

        if (InstanceSource.WillLaunch(parameters))
        {
            try
            {
                return RootOf((await images.ResolveAsync(parameters, cancellationToken)).RootDeviceType);
            }
            catch (PipelineException exception) when (exception.Kind == PipelineErrorKind.Input)
            {
                return null;
            }
        }

        if (parameters.TryGet(CommonParameters.InstanceId, out var instanceId))
        {
            try
            {
                var response = await clients.Ec2().DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instanceId] }, cancellationToken);
                var instance = (response.Reservations ?? []).SelectMany(reservation => reservation.Instances ?? []).FirstOrDefault(found => found.InstanceId == instanceId);
                return instance?.RootDeviceType is { } type ? RootOf(type.Value) : null;
            }
            catch (AmazonEC2Exception exception) when (exception.ErrorCode is "InvalidInstanceID.NotFound" or "InvalidInstanceID.Malformed")
            {
                return null;
            }
        }

        return null;
    }

    private static InstanceRoot RootOf(string rootDeviceType) =>
        rootDeviceType == "instance-store" ? InstanceRoot.InstanceStore : InstanceRoot.Ebs;
}
