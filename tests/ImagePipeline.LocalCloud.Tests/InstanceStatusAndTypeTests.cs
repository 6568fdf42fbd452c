using Amazon.EC2;
using Amazon.EC2.Model;

namespace ImagePipeline.LocalCloud.Tests;

public sealed class InstanceStatusAndTypeTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private const string Region = "us-west-2";

    [Fact]
    public async Task A_launched_instance_reports_initializing_checks_for_a_while_after_it_runs_then_ok_with_reachability_passed()
    {
        using var ec2 = cloud.Ec2(Region);
        var id = (await ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = LocalCloudSeedIds.LinuxEbsImageId, InstanceType = InstanceType.T3Micro, MinCount = 1, MaxCount = 1 })).Reservation.Instances[0].InstanceId;

        var pending = await StatusAsync(ec2, id, includeAll: false);
        var pendingAll = await StatusAsync(ec2, id, includeAll: true);
        cloud.Clock.Advance(cloud.InstanceTransitionDelay);
        var justRunning = await StatusAsync(ec2, id, includeAll: false);
        cloud.Clock.Advance(cloud.InstanceTransitionDelay);
        var settled = await StatusAsync(ec2, id, includeAll: false);

        pending.Should().BeEmpty("only running instances are listed unless IncludeAllInstances");
        pendingAll.Should().ContainSingle().Which.Status.Status.Should().Be(SummaryStatus.NotApplicable);
        justRunning.Should().ContainSingle().Which.Status.Status.Should().Be(SummaryStatus.Initializing);
        justRunning[0].SystemStatus.Details.Should().ContainSingle().Which.Status.Should().Be(StatusType.Initializing);
        settled[0].Status.Status.Should().Be(SummaryStatus.Ok);
        settled[0].SystemStatus.Status.Should().Be(SummaryStatus.Ok);
        settled[0].Status.Details.Should().ContainSingle(d => d.Name == StatusName.Reachability && d.Status == StatusType.Passed);
        settled[0].AvailabilityZone.Should().StartWith(Region);
    }

    [Fact]
    public async Task Describe_instance_status_of_an_unknown_instance_is_not_found()
    {
        using var ec2 = cloud.Ec2(Region);

        var act = () => ec2.DescribeInstanceStatusAsync(new DescribeInstanceStatusRequest { InstanceIds = ["i-0123456789abcdef0"] });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidInstanceID.NotFound");
    }

    [Fact]
    public async Task Describe_instance_types_gives_each_types_architectures_vcpus_and_memory()
    {
        using var ec2 = cloud.Ec2(Region);

        var types = (await ec2.DescribeInstanceTypesAsync(new DescribeInstanceTypesRequest { InstanceTypes = [InstanceType.T3Micro, InstanceType.T4gMicro, InstanceType.M3Medium] }))
            .InstanceTypes.ToDictionary(t => t.InstanceType.Value);

        types["t3.micro"].ProcessorInfo.SupportedArchitectures.Should().Equal("x86_64");
        types["t3.micro"].VCpuInfo.DefaultVCpus.Should().Be(2);
        types["t3.micro"].MemoryInfo.SizeInMiB.Should().Be(1024);
        types["t4g.micro"].ProcessorInfo.SupportedArchitectures.Should().Equal("arm64");
        types["m3.medium"].SupportedRootDeviceTypes.Should().Contain("instance-store");
    }

    [Fact]
    public async Task Describe_instance_types_filters_by_supported_architecture_and_refuses_an_unknown_type()
    {
        using var ec2 = cloud.Ec2(Region);

        var arm = (await ec2.DescribeInstanceTypesAsync(new DescribeInstanceTypesRequest { Filters = [new Filter("processor-info.supported-architecture", ["arm64"])], MaxResults = 100 })).InstanceTypes;
        var unknown = () => ec2.DescribeInstanceTypesAsync(new DescribeInstanceTypesRequest { InstanceTypes = ["t3.enormous"] });

        arm.Select(t => t.InstanceType.Value).Should().Contain(["t4g.micro", "m6g.large", "c6g.large", "c7g.large"]).And.NotContain("t3.micro");
        (await unknown.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidParameterValue");
    }

    private static async Task<List<InstanceStatus>> StatusAsync(AmazonEC2Client ec2, string id, bool includeAll) =>
        (await ec2.DescribeInstanceStatusAsync(new DescribeInstanceStatusRequest { InstanceIds = [id], IncludeAllInstances = includeAll })).InstanceStatuses ?? [];
}
