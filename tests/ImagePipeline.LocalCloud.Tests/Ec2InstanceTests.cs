using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;

namespace ImagePipeline.LocalCloud.Tests;

public sealed class Ec2InstanceTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task Every_region_starts_with_the_four_documented_running_instances()
    {
        using var ec2 = cloud.Ec2("us-west-2");

        var response = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest());
        var instances = response.Reservations.SelectMany(r => r.Instances).ToDictionary(i => i.InstanceId);

        instances.Keys.Should().Contain([LocalCloudSeedIds.LinuxEbsInstanceId, LocalCloudSeedIds.WindowsEbsInstanceId, LocalCloudSeedIds.LinuxInstanceStoreInstanceId, LocalCloudSeedIds.WindowsInstanceStoreInstanceId]);
        instances.Values.Should().OnlyContain(i => i.State.Name == InstanceStateName.Running);
        instances[LocalCloudSeedIds.WindowsEbsInstanceId].Platform.Should().Be(PlatformValues.Windows);
        instances[LocalCloudSeedIds.WindowsEbsInstanceId].RootDeviceType.Value.Should().Be("ebs");
        instances[LocalCloudSeedIds.WindowsEbsInstanceId].BlockDeviceMappings.Should().HaveCount(2);
        instances[LocalCloudSeedIds.WindowsInstanceStoreInstanceId].RootDeviceType.Value.Should().Be("instance-store");
        instances[LocalCloudSeedIds.LinuxEbsInstanceId].Platform.Should().BeNull();
        instances[LocalCloudSeedIds.LinuxEbsInstanceId].RootDeviceName.Should().Be("/dev/xvda");
    }

    [Fact]
    public async Task Describe_instances_filters_by_state_and_tag()
    {
        using var ec2 = cloud.Ec2("ap-southeast-2");

        var response = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest
        {
            Filters = [new Filter("instance-state-name", ["running"]), new Filter("tag:Name", ["localcloud-windows-*"])],
        });

        response.Reservations.SelectMany(r => r.Instances).Select(i => i.InstanceId)
            .Should().BeEquivalentTo([LocalCloudSeedIds.WindowsEbsInstanceId, LocalCloudSeedIds.WindowsInstanceStoreInstanceId]);
    }

    [Fact]
    public async Task An_unknown_instance_id_is_not_found_and_a_malformed_one_is_malformed()
    {
        using var ec2 = cloud.Ec2();

        var missing = () => ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = ["i-0123456789abcdef0"] });
        var malformed = () => ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = ["instance-1"] });

        var notFound = (await missing.Should().ThrowAsync<AmazonEC2Exception>()).Which;
        notFound.ErrorCode.Should().Be("InvalidInstanceID.NotFound");
        notFound.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await malformed.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidInstanceID.Malformed");
    }

    [Fact]
    public async Task Another_accounts_instances_are_invisible()
    {
        using var other = cloud.Ec2("eu-central-1", otherAccount: true);

        var act = () => other.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [LocalCloudSeedIds.LinuxEbsInstanceId] });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidInstanceID.NotFound");
    }

    [Fact]
    public async Task Stopping_goes_through_stopping_to_stopped_as_the_clock_advances_and_starting_brings_it_back()
    {
        using var ec2 = cloud.Ec2("ca-central-1");
        var id = cloud.Server.SeedInstance(new InstanceSeed { Region = "ca-central-1" });

        var stop = await ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [id] });
        var whileStopping = await StateAsync(ec2, id);
        cloud.Clock.Advance(TimeSpan.FromSeconds(11));
        var afterDelay = await StateAsync(ec2, id);
        await ec2.StartInstancesAsync(new StartInstancesRequest { InstanceIds = [id] });
        var whileStarting = await StateAsync(ec2, id);
        cloud.Clock.Advance(TimeSpan.FromSeconds(11));

        stop.StoppingInstances[0].PreviousState.Name.Should().Be(InstanceStateName.Running);
        stop.StoppingInstances[0].CurrentState.Name.Should().Be(InstanceStateName.Stopping);
        whileStopping.Should().Be("stopping");
        afterDelay.Should().Be("stopped");
        whileStarting.Should().Be("pending");
        (await StateAsync(ec2, id)).Should().Be("running");
    }

    [Fact]
    public async Task Starting_a_stopping_instance_is_incorrect_instance_state()
    {
        using var ec2 = cloud.Ec2("ca-central-1");
        var id = cloud.Server.SeedInstance(new InstanceSeed { Region = "ca-central-1" });
        await ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [id] });

        var act = () => ec2.StartInstancesAsync(new StartInstancesRequest { InstanceIds = [id] });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("IncorrectInstanceState");
    }

    [Fact]
    public async Task An_instance_store_instance_cannot_be_stopped()
    {
        using var ec2 = cloud.Ec2("sa-east-1");

        var act = () => ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [LocalCloudSeedIds.LinuxInstanceStoreInstanceId] });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("UnsupportedOperation");
    }

    [Fact]
    public async Task Terminating_goes_through_shutting_down_to_terminated()
    {
        using var ec2 = cloud.Ec2("ca-central-1");
        var id = cloud.Server.SeedInstance(new InstanceSeed { Region = "ca-central-1" });

        var terminate = await ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [id] });
        cloud.Clock.Advance(TimeSpan.FromSeconds(11));

        terminate.TerminatingInstances[0].CurrentState.Name.Should().Be(InstanceStateName.ShuttingDown);
        (await StateAsync(ec2, id)).Should().Be("terminated");
    }

    [Fact]
    public async Task Describe_regions_lists_the_regions_and_volumes_belong_to_their_instances()
    {
        using var ec2 = cloud.Ec2("eu-west-2");

        var regions = await ec2.DescribeRegionsAsync(new DescribeRegionsRequest());
        var volumes = await ec2.DescribeVolumesAsync(new DescribeVolumesRequest { Filters = [new Filter("attachment.instance-id", [LocalCloudSeedIds.WindowsEbsInstanceId])] });

        regions.Regions.Select(r => r.RegionName).Should().Contain(["us-east-1", "eu-west-1"]);
        volumes.Volumes.Should().HaveCount(2);
        volumes.Volumes.Should().OnlyContain(v => v.State == VolumeState.InUse);
    }

    [Fact]
    public async Task Tags_created_on_an_instance_are_described_by_resource_id_and_type()
    {
        using var ec2 = cloud.Ec2("eu-west-2");
        var id = cloud.Server.SeedInstance(new InstanceSeed { Region = "eu-west-2" });

        await ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [id], Tags = [new Tag("Role", "builder"), new Tag("Stage", "1")] });
        var described = await ec2.DescribeTagsAsync(new DescribeTagsRequest { Filters = [new Filter("resource-id", [id])] });
        var byType = await ec2.DescribeTagsAsync(new DescribeTagsRequest { Filters = [new Filter("resource-id", [id]), new Filter("resource-type", ["image"])] });

        described.Tags.Select(t => t.Key).Should().BeEquivalentTo("Role", "Stage");
        byType.Tags.Should().BeNullOrEmpty("the instance is not an image");
    }

    [Fact]
    public async Task A_tag_key_starting_with_aws_colon_is_an_invalid_parameter_value()
    {
        using var ec2 = cloud.Ec2();

        var act = () => ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [LocalCloudSeedIds.LinuxEbsInstanceId], Tags = [new Tag("aws:reserved", "x")] });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidParameterValue");
    }

    [Fact]
    public async Task Run_instances_from_an_available_image_starts_pending_and_becomes_running()
    {
        using var ec2 = cloud.Ec2("eu-central-1");
        var image = await ec2.CreateImageAsync(new CreateImageRequest { InstanceId = LocalCloudSeedIds.WindowsEbsInstanceId, Name = $"run-{Guid.NewGuid():N}", NoReboot = true });
        cloud.Clock.Advance(TimeSpan.FromSeconds(31));

        var run = await ec2.RunInstancesAsync(new RunInstancesRequest
        {
            ImageId = image.ImageId,
            MinCount = 1,
            MaxCount = 1,
            InstanceType = InstanceType.T3Large,
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Instance, Tags = [new Tag("Name", "launched")] }],
        });
        var id = run.Reservation.Instances[0].InstanceId;
        var first = await StateAsync(ec2, id);
        cloud.Clock.Advance(TimeSpan.FromSeconds(11));

        first.Should().Be("pending");
        (await StateAsync(ec2, id)).Should().Be("running");
        run.Reservation.Instances[0].Platform.Should().Be(PlatformValues.Windows);
        run.Reservation.Instances[0].Tags.Should().ContainSingle(t => t.Key == "Name" && t.Value == "launched");
    }

    [Fact]
    public async Task A_snapshot_reports_its_progress_while_pending_and_100_percent_once_completed()
    {
        using var ec2 = cloud.Ec2("eu-central-1");
        var image = await ec2.CreateImageAsync(new CreateImageRequest { InstanceId = LocalCloudSeedIds.LinuxEbsInstanceId, Name = $"progress-{Guid.NewGuid():N}", NoReboot = true });
        var description = $"Created by CreateImage({LocalCloudSeedIds.LinuxEbsInstanceId}) for {image.ImageId}";

        var created = (await ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { OwnerIds = ["self"], Filters = [new Filter("description", [description])] })).Snapshots.Single();
        cloud.Clock.Advance(TimeSpan.FromSeconds(10));
        var half = (await ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { SnapshotIds = [created.SnapshotId] })).Snapshots[0];
        cloud.Clock.Advance(TimeSpan.FromSeconds(11));
        var done = (await ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { OwnerIds = ["self"], Filters = [new Filter("description", [description])] })).Snapshots.Single(s => s.SnapshotId == created.SnapshotId);

        created.State.Should().Be(SnapshotState.Pending);
        half.State.Should().Be(SnapshotState.Pending);
        half.Progress.Should().Be("50%");
        done.State.Should().Be(SnapshotState.Completed);
        done.Progress.Should().Be("100%");
    }

    private static async Task<string> StateAsync(AmazonEC2Client ec2, string id) =>
        (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [id] })).Reservations[0].Instances[0].State.Name.Value;
}
