using Amazon.EC2;
using Amazon.EC2.Model;

namespace ImagePipeline.LocalCloud.Tests;

public sealed class SecurityGroupTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private const string Region = "ap-northeast-1";

    [Fact]
    public async Task Every_account_has_a_default_vpc_with_one_default_subnet_per_zone_and_a_default_group()
    {
        using var ec2 = cloud.Ec2(Region);

        var vpcs = await ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = [new Filter("is-default", ["true"])] });
        var subnets = await ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = [new Filter("default-for-az", ["true"])] });
        var zones = await ec2.DescribeAvailabilityZonesAsync(new DescribeAvailabilityZonesRequest());
        var groups = await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupNames = ["default"] });

        var vpc = vpcs.Vpcs.Should().ContainSingle().Subject;
        vpc.CidrBlock.Should().Be("172.31.0.0/16");
        vpc.OwnerId.Should().Be(LocalCloudAccounts.AccountId);
        subnets.Subnets.Select(s => s.AvailabilityZone).Should().BeEquivalentTo(zones.AvailabilityZones.Select(z => z.ZoneName));
        subnets.Subnets.Should().OnlyContain(s => s.VpcId == vpc.VpcId && s.MapPublicIpOnLaunch == true);
        groups.SecurityGroups.Should().ContainSingle().Which.VpcId.Should().Be(vpc.VpcId);
    }

    [Fact]
    public async Task A_created_group_admits_what_was_authorized_and_is_found_by_tag()
    {
        using var ec2 = cloud.Ec2(Region);
        var run = Guid.NewGuid().ToString("N");

        var created = await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest
        {
            GroupName = "imagepipeline-" + run,
            Description = "temporary SSH access",
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.SecurityGroup, Tags = [new Tag("imagepipeline:run-id", run)] }],
        });
        await ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
        {
            GroupId = created.GroupId,
            IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = 22, ToPort = 22, Ipv4Ranges = [new IpRange { CidrIp = "203.0.113.7/32" }] }],
        });
        var found = await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [new Filter("tag:imagepipeline:run-id", [run])] });

        var group = found.SecurityGroups.Should().ContainSingle().Subject;
        group.GroupId.Should().Be(created.GroupId);
        group.Description.Should().Be("temporary SSH access");
        var rule = group.IpPermissions.Should().ContainSingle().Subject;
        (rule.IpProtocol, rule.FromPort, rule.ToPort).Should().Be(("tcp", 22, 22));
        rule.Ipv4Ranges.Should().ContainSingle().Which.CidrIp.Should().Be("203.0.113.7/32");
        group.IpPermissionsEgress.Should().ContainSingle().Which.IpProtocol.Should().Be("-1");
    }

    [Fact]
    public async Task A_group_name_in_use_in_the_vpc_is_invalid_group_duplicate_and_a_description_is_required()
    {
        using var ec2 = cloud.Ec2(Region);
        var name = $"dup-{Guid.NewGuid():N}";
        await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = name, Description = "d" });

        var again = () => ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = name, Description = "d" });
        var undescribed = () => ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = name + "-x" });
        var unknownVpc = () => ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = name + "-y", Description = "d", VpcId = "vpc-0123456789abcdef0" });

        (await again.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidGroup.Duplicate");
        (await undescribed.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("MissingParameter");
        (await unknownVpc.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidVpcID.NotFound");
    }

    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData("203.0.113.7/33")]
    [InlineData("203.0.113/24")]
    [InlineData("example.com/32")]
    public async Task A_cidr_that_is_not_an_ipv4_network_is_an_invalid_parameter_value(string cidr)
    {
        using var ec2 = cloud.Ec2(Region);
        var group = await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = $"cidr-{Guid.NewGuid():N}", Description = "d" });

        var act = () => ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
        {
            GroupId = group.GroupId,
            IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = 22, ToPort = 22, Ipv4Ranges = [new IpRange { CidrIp = cidr }] }],
        });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidParameterValue");
        (await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = [group.GroupId] })).SecurityGroups[0].IpPermissions.Should().BeNullOrEmpty();
    }

    [Fact]
    public async Task Authorizing_the_same_rule_twice_is_invalid_permission_duplicate()
    {
        using var ec2 = cloud.Ec2(Region);
        var group = await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = $"twice-{Guid.NewGuid():N}", Description = "d" });
        var request = new AuthorizeSecurityGroupIngressRequest
        {
            GroupId = group.GroupId,
            IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = 22, ToPort = 22, Ipv4Ranges = [new IpRange { CidrIp = "198.51.100.0/24" }] }],
        };
        await ec2.AuthorizeSecurityGroupIngressAsync(request);

        var again = () => ec2.AuthorizeSecurityGroupIngressAsync(request);

        (await again.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidPermission.Duplicate");
    }

    [Fact]
    public async Task A_group_an_instance_uses_cannot_be_deleted_until_the_instance_is_terminated()
    {
        using var ec2 = cloud.Ec2(Region);
        var group = await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = $"used-{Guid.NewGuid():N}", Description = "d" });
        var run = await ec2.RunInstancesAsync(new RunInstancesRequest
        {
            ImageId = LocalCloudSeedIds.LinuxEbsImageId, InstanceType = InstanceType.T3Micro, MinCount = 1, MaxCount = 1, SecurityGroupIds = [group.GroupId],
        });
        var instanceId = run.Reservation.Instances[0].InstanceId;

        var whileRunning = () => ec2.DeleteSecurityGroupAsync(new DeleteSecurityGroupRequest { GroupId = group.GroupId });
        (await whileRunning.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("DependencyViolation");
        await ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [instanceId] });
        cloud.Clock.Advance(cloud.InstanceTransitionDelay + TimeSpan.FromSeconds(1));
        await ec2.DeleteSecurityGroupAsync(new DeleteSecurityGroupRequest { GroupId = group.GroupId });

        var gone = () => ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = [group.GroupId] });
        (await gone.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidGroup.NotFound");
        var again = () => ec2.DeleteSecurityGroupAsync(new DeleteSecurityGroupRequest { GroupId = group.GroupId });
        (await again.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidGroup.NotFound");
    }

    [Fact]
    public async Task Another_accounts_groups_are_not_found()
    {
        using var ec2 = cloud.Ec2(Region);
        using var other = cloud.Ec2(Region, otherAccount: true);
        var group = await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = $"private-{Guid.NewGuid():N}", Description = "d" });

        var act = () => other.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = [group.GroupId] });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidGroup.NotFound");
    }
}
