using Amazon.EC2;
using Amazon.EC2.Model;

namespace ImagePipeline.LocalCloud.Tests;

public sealed class VolumeTests(VolumeCloudFixture cloud) : IClassFixture<VolumeCloudFixture>
{
    private const long GiB = 1024L * 1024 * 1024;
    private const long MarkerOffset = 300L * 1024 * 1024;

    [Fact]
    public async Task A_volume_attached_in_the_instances_zone_appears_as_its_device_and_its_snapshot_keeps_what_was_written_there()
    {
        using var ec2 = cloud.Ec2();
        var instance = await RunningInstanceAsync(ec2);
        var volume = await NewVolumeAsync(ec2, instance.Placement.AvailabilityZone, [new Tag("imagepipeline:run-id", "r1")]);

        await ec2.AttachVolumeAsync(new AttachVolumeRequest { VolumeId = volume, InstanceId = instance.InstanceId, Device = "/dev/xvdf" });
        var device = Path.Combine(cloud.AttachedVolumeDirectory!, "xvdf");
        using (var opened = File.OpenRead(device))
        {
            opened.Length.Should().Be(GiB);
        }

        await WriteAsync(device, "marker-1");
        var snapshot = await ec2.CreateSnapshotAsync(new CreateSnapshotRequest { VolumeId = volume, Description = "root" });
        await WriteAsync(device, "changed!");
        var attached = (await ec2.DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = [volume] })).Volumes.Single();
        await ec2.DetachVolumeAsync(new DetachVolumeRequest { VolumeId = volume });
        var detached = (await ec2.DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = [volume] })).Volumes.Single();
        await ec2.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volume });

        attached.State.Value.Should().Be("in-use");
        attached.Attachments.Should().ContainSingle().Which.Device.Should().Be("/dev/xvdf");
        attached.Tags.Should().ContainSingle(t => t.Key == "imagepipeline:run-id" && t.Value == "r1");
        detached.State.Value.Should().Be("available");
        File.Exists(device).Should().BeFalse("a detached volume is no longer a device of the instance");
        snapshot.Snapshot.VolumeId.Should().Be(volume);
        snapshot.Snapshot.VolumeSize.Should().Be(1);
        (await ReadBackAsync(ec2, snapshot.Snapshot.SnapshotId, instance)).Should().Be("marker-1");
        var gone = () => ec2.DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = [volume] });
        (await gone.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidVolume.NotFound");
    }

    [Fact]
    public async Task An_image_registered_from_the_snapshot_has_it_as_its_ebs_root_device()
    {
        using var ec2 = cloud.Ec2();
        var instance = await RunningInstanceAsync(ec2);
        var volume = await NewVolumeAsync(ec2, instance.Placement.AvailabilityZone);
        var snapshot = (await ec2.CreateSnapshotAsync(new CreateSnapshotRequest { VolumeId = volume })).Snapshot.SnapshotId;

        var image = await ec2.RegisterImageAsync(new RegisterImageRequest
        {
            Name = $"from-volume-{Guid.NewGuid():N}",
            Architecture = ArchitectureValues.X86_64,
            VirtualizationType = "hvm",
            EnaSupport = true,
            BootMode = BootModeValues.LegacyBios,
            RootDeviceName = "/dev/xvda",
            BlockDeviceMappings = [new BlockDeviceMapping { DeviceName = "/dev/xvda", Ebs = new EbsBlockDevice { SnapshotId = snapshot, VolumeType = VolumeType.Gp3, DeleteOnTermination = true } }],
        });
        var registered = (await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [image.ImageId] })).Images.Single();

        registered.RootDeviceType.Value.Should().Be("ebs");
        registered.EnaSupport.Should().BeTrue();
        registered.BlockDeviceMappings.Should().ContainSingle(m => m.DeviceName == "/dev/xvda").Which.Ebs.SnapshotId.Should().Be(snapshot);
        await ec2.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volume });
    }

    [Fact]
    public async Task A_volume_is_refused_where_ec2_refuses_it()
    {
        using var ec2 = cloud.Ec2();
        var instance = await RunningInstanceAsync(ec2);
        var zone = instance.Placement.AvailabilityZone;
        var otherZone = zone[..^1] + (zone[^1] == 'a' ? 'b' : 'a');
        var volume = await NewVolumeAsync(ec2, zone);
        var elsewhere = await NewVolumeAsync(ec2, otherZone);

        await ExpectAsync("InvalidParameterValue", () => ec2.CreateVolumeAsync(new CreateVolumeRequest { AvailabilityZone = "us-east-1z", Size = 1 }));
        await ExpectAsync("MissingParameter", () => ec2.CreateVolumeAsync(new CreateVolumeRequest { AvailabilityZone = zone }));
        await ExpectAsync("InvalidParameterValue", () => ec2.CreateVolumeAsync(new CreateVolumeRequest { AvailabilityZone = zone, Size = 10, VolumeType = VolumeType.St1 }));
        await ExpectAsync("InvalidVolume.ZoneMismatch", () => ec2.AttachVolumeAsync(new AttachVolumeRequest { VolumeId = elsewhere, InstanceId = instance.InstanceId, Device = "/dev/xvdf" }));
        await ExpectAsync("InvalidParameterValue", () => ec2.AttachVolumeAsync(new AttachVolumeRequest { VolumeId = volume, InstanceId = instance.InstanceId, Device = instance.RootDeviceName }));
        await ExpectAsync("InvalidParameterValue", () => ec2.AttachVolumeAsync(new AttachVolumeRequest { VolumeId = volume, InstanceId = instance.InstanceId, Device = "/etc/passwd" }));
        await ExpectAsync("IncorrectState", () => ec2.DetachVolumeAsync(new DetachVolumeRequest { VolumeId = volume }));
        await ec2.AttachVolumeAsync(new AttachVolumeRequest { VolumeId = volume, InstanceId = instance.InstanceId, Device = "/dev/xvdg" });
        await ExpectAsync("VolumeInUse", () => ec2.AttachVolumeAsync(new AttachVolumeRequest { VolumeId = volume, InstanceId = instance.InstanceId, Device = "/dev/xvdh" }));
        await ExpectAsync("VolumeInUse", () => ec2.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volume }));
    }

    [Fact]
    public async Task A_volume_is_restored_only_from_a_snapshot_that_has_completed()
    {
        using var ec2 = cloud.Ec2();
        var instance = await RunningInstanceAsync(ec2);
        var zone = instance.Placement.AvailabilityZone;
        var snapshot = (await ec2.CreateSnapshotAsync(new CreateSnapshotRequest { VolumeId = await NewVolumeAsync(ec2, zone) })).Snapshot.SnapshotId;

        var pending = await ec2.Invoking(client => client.CreateVolumeAsync(new CreateVolumeRequest { AvailabilityZone = zone, SnapshotId = snapshot })).Should().ThrowAsync<AmazonEC2Exception>();
        cloud.Clock.Advance(cloud.SnapshotCompletionDelay + TimeSpan.FromSeconds(1));
        var restored = await ec2.CreateVolumeAsync(new CreateVolumeRequest { AvailabilityZone = zone, SnapshotId = snapshot });

        pending.Which.ErrorCode.Should().Be("IncorrectState");
        pending.Which.Message.Should().Be($"Snapshot '{snapshot}' is not 'completed'.");
        restored.Volume.SnapshotId.Should().Be(snapshot);
    }

    [Fact]
    public async Task A_volume_being_created_cannot_be_attached_until_it_is_available()
    {
        using var ec2 = cloud.Ec2();
        var instance = await RunningInstanceAsync(ec2);

        var created = await ec2.CreateVolumeAsync(new CreateVolumeRequest { AvailabilityZone = instance.Placement.AvailabilityZone, Size = 1, VolumeType = VolumeType.Gp3 });

        created.Volume.State.Value.Should().Be("creating");
        await ExpectAsync("IncorrectState", () => ec2.AttachVolumeAsync(new AttachVolumeRequest { VolumeId = created.Volume.VolumeId, InstanceId = instance.InstanceId, Device = "/dev/xvdf" }));
    }

    [Fact]
    public async Task Terminating_the_instance_leaves_an_attached_volume_available_and_off_the_device_list()
    {
        using var ec2 = cloud.Ec2();
        var instance = await RunningInstanceAsync(ec2);
        var volume = await NewVolumeAsync(ec2, instance.Placement.AvailabilityZone);
        await ec2.AttachVolumeAsync(new AttachVolumeRequest { VolumeId = volume, InstanceId = instance.InstanceId, Device = "/dev/sdk" });

        await ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [instance.InstanceId] });
        var after = (await ec2.DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = [volume] })).Volumes.Single();

        after.State.Value.Should().Be("available");
        File.Exists(Path.Combine(cloud.AttachedVolumeDirectory!, "sdk")).Should().BeFalse();
        await ec2.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volume });
    }

    private async Task<Instance> RunningInstanceAsync(AmazonEC2Client ec2)
    {
        var id = cloud.NewInstance(rootDeviceType: "instance-store");
        return (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [id] })).Reservations.Single().Instances.Single();
    }

    /// <summary>A 1 GiB volume, waited for until it is available.</summary>
    private async Task<string> NewVolumeAsync(AmazonEC2Client ec2, string zone, List<Tag>? tags = null)
    {
        var created = await ec2.CreateVolumeAsync(new CreateVolumeRequest
        {
            AvailabilityZone = zone,
            Size = 1,
            VolumeType = VolumeType.Gp3,
            TagSpecifications = tags is null ? null : [new TagSpecification { ResourceType = ResourceType.Volume, Tags = tags }],
        });
        cloud.Clock.Advance(cloud.InstanceTransitionDelay + TimeSpan.FromSeconds(1));
        return created.Volume.VolumeId;
    }

    /// <summary>The marker in a new volume made from the snapshot, attached and read through its device file.</summary>
    private async Task<string> ReadBackAsync(AmazonEC2Client ec2, string snapshotId, Instance instance)
    {
        cloud.Clock.Advance(cloud.SnapshotCompletionDelay + TimeSpan.FromSeconds(1));
        var restored = await ec2.CreateVolumeAsync(new CreateVolumeRequest { AvailabilityZone = instance.Placement.AvailabilityZone, SnapshotId = snapshotId, VolumeType = VolumeType.Gp3 });
        cloud.Clock.Advance(cloud.InstanceTransitionDelay + TimeSpan.FromSeconds(1));
        await ec2.AttachVolumeAsync(new AttachVolumeRequest { VolumeId = restored.Volume.VolumeId, InstanceId = instance.InstanceId, Device = "/dev/xvdp" });
        try
        {
            await using var file = File.OpenRead(Path.Combine(cloud.AttachedVolumeDirectory!, "xvdp"));
            file.Position = MarkerOffset;
            var buffer = new byte[8];
            await file.ReadExactlyAsync(buffer);
            return System.Text.Encoding.ASCII.GetString(buffer);
        }
        finally
        {
            await ec2.DetachVolumeAsync(new DetachVolumeRequest { VolumeId = restored.Volume.VolumeId });
            await ec2.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = restored.Volume.VolumeId });
        }
    }

    private static async Task WriteAsync(string device, string marker)
    {
        await using var file = new FileStream(device, FileMode.Open, FileAccess.Write);
        file.Position = MarkerOffset;
        await file.WriteAsync(System.Text.Encoding.ASCII.GetBytes(marker));
    }

    private static async Task ExpectAsync(string code, Func<Task> call) =>
        (await call.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be(code);
}
