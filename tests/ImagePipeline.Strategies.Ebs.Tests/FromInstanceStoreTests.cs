using System.Globalization;
using Amazon.EC2;
using Amazon.EC2.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Core.Engine;
using ImagePipeline.LocalCloud;
using ImagePipeline.LocalCloud.Faults;
using ImagePipeline.Testing;

namespace ImagePipeline.Strategies.Ebs.Tests;

/// <summary>
/// An EBS image of an instance-store-backed Linux instance (issue #15, item 5), end to end against the local cloud: the
/// base image launched (its instance answers on the loopback sshd), a script writes a marker into the imaged volume,
/// the volume bundler writes that file system onto a new volume attached to the "instance", which is snapshotted and
/// registered; the snapshot, restored to a volume and read with debugfs, holds the marker. Nothing of the run is left.
/// </summary>
public sealed class FromInstanceStoreTests(InstanceStoreLaunchCloudFixture cloud) : IClassFixture<InstanceStoreLaunchCloudFixture>, IDisposable
{
    private const string Marker = "opt/web/installed-by-provisioning";

    private readonly MountedTestVolume _volume = new();

    [Fact]
    public async Task An_instance_store_linux_base_image_provisioned_is_registered_as_an_ebs_image_whose_snapshot_holds_the_marker()
    {
        await using var bake = Bake();

        var result = await bake.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        result.CleanupFailures.Should().BeEmpty();
        var image = (await cloud.ImagesNamedAsync(bake.ImageName)).Should().ContainSingle().Subject;
        var source = (await cloud.Ec2().DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [LocalCloudSeedIds.LinuxInstanceStoreImageId] })).Images.Single();
        image.RootDeviceType.Should().Be(DeviceType.Ebs);
        image.Architecture.Should().Be(source.Architecture, "carried over (RegisterImage would say i386)");
        image.VirtualizationType.Should().Be(source.VirtualizationType, "carried over (RegisterImage would say paravirtual)");
        (image.EnaSupport == true).Should().Be(source.EnaSupport == true, "the instance runs with its image's ENA support, and the new image keeps it");
        image.BootMode.Should().Be(source.BootMode);
        image.RootDeviceName.Should().Be(source.RootDeviceName);
        image.BlockDeviceMappings.Should().Contain(mapping => mapping.VirtualName == "ephemeral0", "the base image's instance-store volume is kept");
        var snapshotId = image.BlockDeviceMappings.Single(mapping => mapping.DeviceName == image.RootDeviceName).Ebs.SnapshotId;
        (await cloud.SnapshotsOfAsync(image)).Should().ContainSingle().Which.Tags.Should().Contain(tag => tag.Key == "imagepipeline:run-id" && tag.Value == result.RunId);
        bake.Logs.Should().Contain($"Imaging {_volume.MountPoint} on 127.0.0.1 onto ");
        bake.Harness.Progress.Reports.Should().Contain(report => report.Activity.StartsWith("Copying the root file system on 127.0.0.1", StringComparison.Ordinal) && report.Completed > 0, "the copy reports its progress");
        await NothingOfTheRunShouldBeLeftAsync(result.RunId);

        (await ReadFromSnapshotAsync(snapshotId, Marker)).Should().Be("web 1.0 installed\n");
    }

    [Theory]
    [InlineData("AttachVolume", FaultKind.ResetResponse)]
    [InlineData("CreateSnapshot", FaultKind.InternalError)]
    [InlineData("RegisterImage", FaultKind.InternalError)]
    [InlineData("RegisterImage", FaultKind.ResetResponse)]
    public async Task A_failure_after_the_volume_is_made_leaves_no_volume_snapshot_image_instance_key_pair_or_group(string operation, FaultKind kind)
    {
        await using var bake = Bake().With("max-attempts", "1");
        var before = await CensusAsync();
        cloud.Server.Faults.Add(new FaultRule { Service = "ec2", Operation = operation, Kind = kind, MaxInjections = 1 });
        try
        {
            var result = await bake.RunAsync();

            result.Outcome.Should().Be(RunOutcome.Failed, bake.Logs);
            cloud.Server.Faults.InjectedCount.Should().Be(1);
            result.CleanupFailures.Should().BeEmpty();
            cloud.Census(PipelineCloudFixture.HomeRegion).NewSince(before).Should().BeEquivalentTo(new ResourceCensus([], []), "no image and no snapshot is left");
            await NothingOfTheRunShouldBeLeftAsync(result.RunId);
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }
    }

    [Theory]
    [InlineData("CreateSnapshot", FaultKind.InternalError)]
    [InlineData("RegisterImage", FaultKind.InternalError)]
    [InlineData("RegisterImage", FaultKind.ResetResponse)]
    public async Task A_failed_run_kept_and_resumed_makes_one_volume_one_snapshot_and_one_image(string operation, FaultKind kind)
    {
        await using var bake = Bake().With("max-attempts", "1").With("keep-on-failure", "true");
        var before = await CensusAsync();
        cloud.Server.Faults.Add(new FaultRule { Service = "ec2", Operation = operation, Kind = kind, MaxInjections = 1 });
        RunResult failed;
        try
        {
            failed = await bake.RunAsync();
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }

        failed.Outcome.Should().Be(RunOutcome.Failed, bake.Logs);
        (await RootVolumesOfRunAsync(failed.RunId)).Should().ContainSingle("the volume is kept for the resumed run");

        var resumed = await bake.ResumeAsync(failed.RunId);

        resumed.Outcome.Should().Be(RunOutcome.Succeeded, resumed.Failure?.Message + "\n" + bake.Logs);
        resumed.CleanupFailures.Should().BeEmpty();
        var image = (await cloud.ImagesNamedAsync(bake.ImageName)).Should().ContainSingle().Subject;
        cloud.Census(PipelineCloudFixture.HomeRegion).NewSince(before).Should().BeEquivalentTo(
            new ResourceCensus([image.ImageId], [image.BlockDeviceMappings.Single(mapping => mapping.Ebs?.SnapshotId is not null).Ebs.SnapshotId]));
        RootVolumesEverOfRun(failed.RunId).Should().ContainSingle("the resumed run reuses the volume it made");
        await NothingOfTheRunShouldBeLeftAsync(failed.RunId, replacedOnResume: true);
    }

    [Fact]
    public async Task A_copy_that_fails_on_the_instance_leaves_no_volume_staging_folder_instance_key_pair_or_group()
    {
        // Sized here: df of the unmounted folder would give the size of the machine's own file system.
        await using var bake = Bake().With("root-volume-size", "1");
        var before = await CensusAsync();
        _volume.Unmount();

        var result = await bake.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Failed, bake.Logs);
        result.Failure!.Message.Should().Contain(_volume.MountPoint, "the volume bundler's own reason names --volume");
        result.CleanupFailures.Should().BeEmpty();
        cloud.Census(PipelineCloudFixture.HomeRegion).NewSince(before).Should().BeEquivalentTo(new ResourceCensus([], []));
        await NothingOfTheRunShouldBeLeftAsync(result.RunId);
        _volume.Mount();
    }

    [Fact]
    public async Task A_copy_that_failed_kept_and_resumed_on_a_new_instance_moves_the_volume_there()
    {
        await using var bake = Bake().With("keep-on-failure", "true").With("root-volume-size", "1");
        _volume.Unmount();
        var failed = await bake.RunAsync();
        failed.Outcome.Should().Be(RunOutcome.Failed, bake.Logs);
        (await RootVolumesOfRunAsync(failed.RunId)).Should().ContainSingle("the attached volume is kept");
        _volume.Mount();
        File.WriteAllText(Path.Combine(_volume.MountPoint, "given"), "there at the resumed copy\n");

        var resumed = await bake.ResumeAsync(failed.RunId);

        resumed.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        resumed.CleanupFailures.Should().BeEmpty();
        var image = (await cloud.ImagesNamedAsync(bake.ImageName)).Should().ContainSingle().Subject;
        await NothingOfTheRunShouldBeLeftAsync(failed.RunId, replacedOnResume: true);
        var volumeId = RootVolumesEverOfRun(failed.RunId).Should().ContainSingle().Subject;
        using (var ec2 = cloud.Ec2())
        {
            var instances = (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = [new Filter("tag:imagepipeline:run-id", [failed.RunId])] })).Reservations.SelectMany(reservation => reservation.Instances).ToList();
            instances.Should().HaveCount(2, "the kept instance could not be logged in to any more, so the resumed run launched another");
            instances.Should().OnlyContain(instance => bake.Logs.Contains($"Attached volume {volumeId} to instance {instance.InstanceId} as ", StringComparison.Ordinal), "the volume moved to the new instance");
        }

        (await ReadFromSnapshotAsync(image.BlockDeviceMappings.Single(mapping => mapping.DeviceName == image.RootDeviceName).Ebs.SnapshotId, "given"))
            .Should().Be("there at the resumed copy\n", bake.Logs);
    }

    [Fact]
    public async Task A_lost_create_snapshot_answer_sent_again_leaves_only_the_snapshot_the_image_keeps()
    {
        await using var bake = Bake().With("max-attempts", "1");
        var before = await CensusAsync();
        cloud.Server.Faults.Add(new FaultRule { Service = "ec2", Operation = "CreateSnapshot", Kind = FaultKind.ResetResponse, MaxInjections = 1 });
        try
        {
            var result = await bake.RunAsync();

            result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
            cloud.Server.Faults.InjectedCount.Should().Be(1, "the first snapshot was made, and its answer lost");
            var image = (await cloud.ImagesNamedAsync(bake.ImageName)).Should().ContainSingle().Subject;
            cloud.Census(PipelineCloudFixture.HomeRegion).NewSince(before).Should().BeEquivalentTo(
                new ResourceCensus([image.ImageId], [image.BlockDeviceMappings.Single(mapping => mapping.Ebs?.SnapshotId is not null).Ebs.SnapshotId]));
            await NothingOfTheRunShouldBeLeftAsync(result.RunId);
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }
    }

    [Fact]
    public async Task A_running_instance_store_instance_given_by_id_and_host_is_imaged_and_left_running()
    {
        var instanceId = cloud.NewInstance(rootDeviceType: "instance-store");
        await using var bake = Bake()
            .Without("source-ami").Without("provision-script").Without("ssh-source-cidr")
            .With("instance-id", instanceId).With("instance-host", "127.0.0.1").With("ssh-key", cloud.Ssh.ClientKeyPath);
        File.WriteAllText(Path.Combine(_volume.MountPoint, "given"), "imaged as it is\n");

        var result = await bake.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        result.CleanupFailures.Should().BeEmpty();
        var image = (await cloud.ImagesNamedAsync(bake.ImageName)).Should().ContainSingle().Subject;
        image.RootDeviceType.Should().Be(DeviceType.Ebs);
        cloud.InstanceState(instanceId).Should().Be("running", "an instance the run did not launch is never terminated");
        (await RootVolumesOfRunAsync(result.RunId)).Should().BeEmpty();
        (await ReadFromSnapshotAsync(image.BlockDeviceMappings.Single(mapping => mapping.DeviceName == image.RootDeviceName).Ebs.SnapshotId, "given"))
            .Should().Be("imaged as it is\n");
    }

    public void Dispose() => _volume.Dispose();

    private EbsBake Bake()
    {
        var script = Path.Combine(_volume.Root, "install.sh");
        File.WriteAllText(script, $"""
            #!/bin/sh
            set -e
            mkdir -p {_volume.MountPoint}/opt/web
            printf 'web 1.0 installed\n' > {_volume.MountPoint}/{Marker}
            sync

            """);
        return new EbsBake(cloud, instanceId: string.Empty)
            .Without("instance-id")
            .With("source-ami", LocalCloudSeedIds.LinuxInstanceStoreImageId)
            .With("provision-script", script)
            .With("ssh-user", cloud.Ssh.User)
            .With("ssh-port", cloud.Ssh.Port.ToString(CultureInfo.InvariantCulture))
            .With("ssh-host-key-fingerprint", cloud.Ssh.HostKeyFingerprint)
            .With("ssh-source-cidr", "127.0.0.1/32")
            .With("volume", _volume.MountPoint)
            .With("attached-device-path", Path.Combine(cloud.AttachedVolumeDirectory!, "{device}"))
            .With("max-wait", "60");
    }

    /// <summary>The images and snapshots there are now, once the region's base images (seeded on its first call) exist.</summary>
    private async Task<ResourceCensus> CensusAsync()
    {
        using var ec2 = cloud.Ec2();
        await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [LocalCloudSeedIds.LinuxInstanceStoreImageId] });
        return cloud.Census(PipelineCloudFixture.HomeRegion);
    }

    /// <param name="replacedOnResume">True for a resumed run, which launches a new instance when the kept one cannot be logged in to (its temporary key is gone).</param>
    private async Task NothingOfTheRunShouldBeLeftAsync(string runId, bool replacedOnResume = false)
    {
        using var ec2 = cloud.Ec2();
        var runFilter = new Filter("tag:imagepipeline:run-id", [runId]);
        var instances = (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = [runFilter] })).Reservations.SelectMany(reservation => reservation.Instances).ToList();
        if (!replacedOnResume)
        {
            instances.Should().ContainSingle("the run launched one instance");
        }

        instances.Should().NotBeEmpty().And.OnlyContain(instance => instance.State.Name == InstanceStateName.Terminated);
        (await ec2.DescribeKeyPairsAsync(new DescribeKeyPairsRequest { Filters = [runFilter] })).KeyPairs.Should().BeNullOrEmpty("the temporary key pair is deleted");
        (await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [runFilter] })).SecurityGroups.Should().BeNullOrEmpty("the temporary security group is deleted");
        (await RootVolumesOfRunAsync(runId)).Should().BeEmpty("the temporary volume is deleted, after success too");
        Directory.Exists("/mnt/imagepipeline-ebs-" + runId).Should().BeFalse("the staging folder on the instance is removed");
        Directory.EnumerateFileSystemEntries(cloud.AttachedVolumeDirectory!).Should().BeEmpty("nothing is attached any more");
        _volume.LeftoverLoopDevices(cloud.Directory).Should().BeEmpty("the volume bundler detaches its loop device");
    }

    private async Task<IReadOnlyList<string>> RootVolumesOfRunAsync(string runId)
    {
        using var ec2 = cloud.Ec2();
        var volumes = await ec2.DescribeVolumesAsync(new DescribeVolumesRequest { Filters = [new Filter("tag:imagepipeline:run-id", [runId])] });
        return [.. (volumes.Volumes ?? []).Select(volume => volume.VolumeId)];
    }

    /// <summary>The root volumes the run ever made, deleted ones too.</summary>
    private IReadOnlyList<string> RootVolumesEverOfRun(string runId) =>
        [.. cloud.Region().Volumes.Values
            .Where(volume => volume.Tags.Any(tag => tag.Key == "imagepipeline:run-id" && tag.Value == runId) && volume.Tags.Any(tag => tag.Key == "imagepipeline:root-volume-of"))
            .Select(volume => volume.VolumeId)];

    /// <summary>A file of the snapshot's file system, read with debugfs from a volume restored from it and attached to an instance.</summary>
    private async Task<string> ReadFromSnapshotAsync(string snapshotId, string path)
    {
        using var ec2 = cloud.Ec2();
        var reader = cloud.NewInstance(rootDeviceType: "instance-store");
        var zone = (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [reader] })).Reservations.Single().Instances.Single().Placement.AvailabilityZone;
        var restored = (await ec2.CreateVolumeAsync(new CreateVolumeRequest { AvailabilityZone = zone, SnapshotId = snapshotId, VolumeType = VolumeType.Gp3 })).Volume.VolumeId;
        cloud.Clock.Advance(cloud.InstanceTransitionDelay + TimeSpan.FromSeconds(1));
        await ec2.AttachVolumeAsync(new AttachVolumeRequest { VolumeId = restored, InstanceId = reader, Device = "/dev/xvdg" });
        try
        {
            return MountedTestVolume.Run("debugfs", "-R", "cat /" + path, Path.Combine(cloud.AttachedVolumeDirectory!, "xvdg"));
        }
        finally
        {
            await ec2.DetachVolumeAsync(new DetachVolumeRequest { VolumeId = restored });
            await ec2.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = restored });
            await ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [reader] });
        }
    }
}
