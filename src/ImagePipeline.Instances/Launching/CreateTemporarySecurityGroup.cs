using Amazon.EC2;
using Amazon.EC2.Model;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Instances.Launching;

/// <summary>
/// LaunchInstance, when something logs in over SSH and no <c>--security-group-ids</c> are given: makes a security group
/// named and tagged for the run, in the subnet's VPC (or the default VPC), admitting SSH only from
/// <c>--ssh-source-cidr</c> (default: this machine's public address). The cleanup deletes it once the instance is gone.
/// </summary>
public sealed class CreateTemporarySecurityGroup(ICloudClients clients, PublicAddressLookup publicAddress) : IPipelineStep
{
    /// <summary>The discovered address, asked once in validation and used by the run.</summary>
    private string? _discoveredCidr;

    public async ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        if (context.Parameters.IsSet(LaunchParameters.SshSourceCidr))
        {
            return;
        }

        _discoveredCidr = await publicAddress.FindCidrAsync(cancellationToken);
        if (_discoveredCidr is null)
        {
            context.AddError($"{LaunchParameters.SshSourceCidr} is required to admit SSH to the launched instance: this machine's public address could not be found ({publicAddress.Service} did not answer); pass {LaunchParameters.SshSourceCidr} CIDR (for example 203.0.113.7/32), or give {LaunchParameters.SecurityGroupIds}.");
        }
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (context.State.TryGet(LaunchState.TemporarySecurityGroup, out var existing))
        {
            context.Note = existing;
            return;
        }

        var cidr = context.Parameters.TryGet(LaunchParameters.SshSourceCidr, out var given) ? given
            : _discoveredCidr ?? await publicAddress.FindCidrAsync(cancellationToken)
            ?? throw PipelineException.Input($"{LaunchParameters.SshSourceCidr} is required: this machine's public address could not be found.");
        var vpcId = await VpcIdAsync(context.Parameters, cancellationToken);
        var port = context.Parameters.Get(CommonParameters.SshPort);
        var response = await clients.Ec2().CreateSecurityGroupAsync(
            new CreateSecurityGroupRequest
            {
                GroupName = TemporaryResourceNames.For(context.RunId),
                Description = $"ImagePipeline run {context.RunId}: SSH from the build host to the instance it launched",
                VpcId = vpcId,
                TagSpecifications = [TemporaryResourceNames.Tags("security-group", context.RunId)],
            },
            cancellationToken);
        context.State.Set(LaunchState.TemporarySecurityGroup, response.GroupId);
        await context.CheckpointAsync(cancellationToken);

        await clients.Ec2().AuthorizeSecurityGroupIngressAsync(
            new AuthorizeSecurityGroupIngressRequest
            {
                GroupId = response.GroupId,
                IpPermissions =
                [
                    new IpPermission
                    {
                        IpProtocol = "tcp",
                        FromPort = port,
                        ToPort = port,
                        Ipv4Ranges = cidr.Contains(':', StringComparison.Ordinal) ? null : [new IpRange { CidrIp = cidr, Description = "SSH from the build host" }],
                        Ipv6Ranges = cidr.Contains(':', StringComparison.Ordinal) ? [new Ipv6Range { CidrIpv6 = cidr, Description = "SSH from the build host" }] : null,
                    },
                ],
            },
            cancellationToken);
        context.Logger.SecurityGroupCreated(response.GroupId, vpcId, port, cidr);
        context.Note = response.GroupId;
    }

    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (!context.State.TryGet(LaunchState.TemporarySecurityGroup, out var groupId))
        {
            return CleanupOutcome.NothingToUndo;
        }

        if (LaunchSourceInstance.KeepsInstance(context) is not null)
        {
            return CleanupOutcome.Kept;
        }

        try
        {
            await clients.Ec2().DeleteSecurityGroupAsync(new DeleteSecurityGroupRequest { GroupId = groupId }, cancellationToken);
        }
        catch (AmazonEC2Exception exception) when (exception.ErrorCode == "InvalidGroup.NotFound")
        {
            // Gone already (deleted by hand): nothing left to undo.
        }

        context.State.Remove(LaunchState.TemporarySecurityGroup);
        context.Logger.SecurityGroupDeleted(groupId);
        return CleanupOutcome.Undone;
    }

    /// <summary>The VPC of --subnet-id, else the region's default VPC.</summary>
    private async Task<string> VpcIdAsync(IParameterValues parameters, CancellationToken cancellationToken)
    {
        if (parameters.TryGet(LaunchParameters.SubnetId, out var subnetId))
        {
            var subnets = await clients.Ec2().DescribeSubnetsAsync(new DescribeSubnetsRequest { SubnetIds = [subnetId] }, cancellationToken);
            return subnets.Subnets.Single().VpcId;
        }

        var vpcs = await clients.Ec2().DescribeVpcsAsync(new DescribeVpcsRequest { Filters = [new Filter("is-default", ["true"])] }, cancellationToken);
        return (vpcs.Vpcs ?? []).FirstOrDefault()?.VpcId
            ?? throw PipelineException.Input($"{clients.Region} has no default VPC to make the temporary security group in; pass {LaunchParameters.SubnetId} (its VPC is used) or {LaunchParameters.SecurityGroupIds}.");
    }
}
