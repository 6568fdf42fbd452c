using System.Text;
using Amazon.EC2;
using Amazon.EC2.Model;

namespace ImagePipeline.LocalCloud.Tests;

/// <summary>RunInstances checks what EC2 checks before it launches anything, and launches what the image says.</summary>
public sealed class RunInstancesTests(LaunchCloudFixture cloud) : IClassFixture<LaunchCloudFixture>
{
    private const string Region = "eu-west-1";

    [Fact]
    public async Task A_launched_instance_carries_the_images_root_device_and_architecture_and_the_subnets_zone()
    {
        using var ec2 = cloud.Ec2(Region);
        var subnet = (await ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = [new Filter("availability-zone", [Region + "b"])] })).Subnets.Single();

        var run = await ec2.RunInstancesAsync(new RunInstancesRequest
        {
            ImageId = LocalCloudSeedIds.LinuxArmEbsImageId, InstanceType = InstanceType.T4gMicro, MinCount = 1, MaxCount = 1, SubnetId = subnet.SubnetId,
        });

        var instance = run.Reservation.Instances.Should().ContainSingle().Subject;
        instance.State.Name.Should().Be(InstanceStateName.Pending);
        instance.Architecture.Value.Should().Be("arm64");
        instance.RootDeviceType.Value.Should().Be("ebs");
        instance.RootDeviceName.Should().Be("/dev/xvda");
        instance.Placement.AvailabilityZone.Should().Be(Region + "b");
        instance.SubnetId.Should().Be(subnet.SubnetId);
        instance.VpcId.Should().Be(subnet.VpcId);
        instance.ImageId.Should().Be(LocalCloudSeedIds.LinuxArmEbsImageId);
        instance.BlockDeviceMappings.Should().ContainSingle().Which.DeviceName.Should().Be("/dev/xvda");
        instance.SecurityGroups.Should().ContainSingle().Which.GroupName.Should().Be("default", "a launch that names no group gets the VPC's default group");
        instance.LaunchTime.Should().BeCloseTo(cloud.Clock.GetUtcNow().UtcDateTime, TimeSpan.FromSeconds(1));
    }

    [Theory]
    [InlineData(LocalCloudSeedIds.LinuxEbsImageId, "t3.micro", true, "uefi-preferred")]
    [InlineData(LocalCloudSeedIds.LinuxInstanceStoreImageId, "m3.medium", false, null)]
    public async Task A_launched_instance_has_its_images_ena_support_and_boot_mode(string imageId, string instanceType, bool ena, string? bootMode)
    {
        using var ec2 = cloud.Ec2(Region);

        var run = await ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = imageId, InstanceType = instanceType, MinCount = 1, MaxCount = 1 });
        var described = (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [run.Reservation.Instances.Single().InstanceId] })).Reservations.Single().Instances.Single();

        described.EnaSupport.Should().Be(ena);
        (described.BootMode?.Value).Should().Be(bootMode);
    }

    [Fact]
    public async Task An_instance_type_that_cannot_run_the_images_architecture_is_refused_with_awss_message()
    {
        using var ec2 = cloud.Ec2(Region);

        var act = () => ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = LocalCloudSeedIds.LinuxArmEbsImageId, InstanceType = InstanceType.T3Micro, MinCount = 1, MaxCount = 1 });

        var error = (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which;
        error.ErrorCode.Should().Be("InvalidParameterValue");
        error.Message.Should().StartWith("The architecture 'x86_64' of the specified instance type does not match the architecture 'arm64' of the specified AMI.");
        await NothingLaunchedFromAsync(ec2, LocalCloudSeedIds.LinuxArmEbsImageId, "arm64 only launches on a matching type here");
    }

    [Fact]
    public async Task An_hvm_image_does_not_launch_on_a_paravirtual_only_type_such_as_the_default_m1_small()
    {
        using var ec2 = cloud.Ec2(Region);

        var byDefault = () => ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = LocalCloudSeedIds.LinuxEbsImageId, MinCount = 1, MaxCount = 1 });

        (await byDefault.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidParameterCombination");
    }

    [Fact]
    public async Task An_unknown_instance_type_is_an_invalid_parameter_value()
    {
        using var ec2 = cloud.Ec2(Region);

        var act = () => ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = LocalCloudSeedIds.LinuxEbsImageId, InstanceType = "t3.enormous", MinCount = 1, MaxCount = 1 });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidParameterValue");
    }

    [Fact]
    public async Task An_instance_store_image_launches_only_on_a_type_with_an_instance_store_root()
    {
        using var ec2 = cloud.Ec2(Region);

        var onT3 = () => ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = LocalCloudSeedIds.LinuxInstanceStoreImageId, InstanceType = InstanceType.T3Micro, MinCount = 1, MaxCount = 1 });
        var onM3 = await ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = LocalCloudSeedIds.LinuxInstanceStoreImageId, InstanceType = InstanceType.M3Medium, MinCount = 1, MaxCount = 1 });

        (await onT3.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("UnsupportedOperation");
        onM3.Reservation.Instances[0].RootDeviceType.Value.Should().Be("instance-store");
        onM3.Reservation.Instances[0].BlockDeviceMappings.Should().BeNullOrEmpty("an instance-store root has no EBS volume");
    }

    [Fact]
    public async Task A_missing_key_pair_subnet_or_group_is_not_found_and_nothing_is_launched()
    {
        using var ec2 = cloud.Ec2(Region);
        var otherVpcGroup = await OtherAccountGroupAsync();
        RunInstancesRequest Request() => new() { ImageId = LocalCloudSeedIds.OlderLinuxEbsImageId, InstanceType = InstanceType.T3Micro, MinCount = 1, MaxCount = 1 };

        var key = () => { var r = Request(); r.KeyName = "no-such-key"; return ec2.RunInstancesAsync(r); };
        var subnet = () => { var r = Request(); r.SubnetId = "subnet-0123456789abcdef0"; return ec2.RunInstancesAsync(r); };
        var group = () => { var r = Request(); r.SecurityGroupIds = ["sg-0123456789abcdef0"]; return ec2.RunInstancesAsync(r); };
        var foreignGroup = () => { var r = Request(); r.SecurityGroupIds = [otherVpcGroup]; return ec2.RunInstancesAsync(r); };

        (await key.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidKeyPair.NotFound");
        (await subnet.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidSubnetID.NotFound");
        (await group.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidGroup.NotFound");
        (await foreignGroup.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidGroup.NotFound");
        await NothingLaunchedFromAsync(ec2, LocalCloudSeedIds.OlderLinuxEbsImageId, "every launch here was refused");
    }

    [Fact]
    public async Task An_image_the_caller_may_not_launch_is_not_found()
    {
        using var ec2 = cloud.Ec2(Region);
        using var other = cloud.Ec2(Region, otherAccount: true);
        var image = await ec2.CreateImageAsync(new CreateImageRequest { InstanceId = LocalCloudSeedIds.LinuxEbsInstanceId, Name = $"private-{Guid.NewGuid():N}", NoReboot = true });
        cloud.Clock.Advance(cloud.ImageAvailableDelay + TimeSpan.FromSeconds(1));

        var act = () => other.RunInstancesAsync(new RunInstancesRequest { ImageId = image.ImageId, InstanceType = InstanceType.T3Micro, MinCount = 1, MaxCount = 1 });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidAMIID.NotFound");
    }

    [Fact]
    public async Task User_data_must_be_base64_of_at_most_16_kib()
    {
        using var ec2 = cloud.Ec2(Region);
        RunInstancesRequest Request(string userData) => new() { ImageId = LocalCloudSeedIds.LinuxEbsImageId, InstanceType = InstanceType.T3Micro, MinCount = 1, MaxCount = 1, UserData = userData };

        var fits = await ec2.RunInstancesAsync(Request(Convert.ToBase64String(new byte[16 * 1024])));
        var tooLarge = () => ec2.RunInstancesAsync(Request(Convert.ToBase64String(new byte[(16 * 1024) + 1])));
        var notBase64 = () => ec2.RunInstancesAsync(Request("#!/bin/sh\necho not encoded"));

        fits.Reservation.Instances.Should().ContainSingle();
        (await tooLarge.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidParameterValue");
        (await notBase64.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidUserData.Malformed");
    }

    [Fact]
    public async Task An_instance_profile_is_accepted_by_name_or_arn_when_well_formed()
    {
        using var ec2 = cloud.Ec2(Region);
        RunInstancesRequest Request(IamInstanceProfileSpecification profile) => new() { ImageId = LocalCloudSeedIds.LinuxEbsImageId, InstanceType = InstanceType.T3Micro, MinCount = 1, MaxCount = 1, IamInstanceProfile = profile };

        var byName = await ec2.RunInstancesAsync(Request(new IamInstanceProfileSpecification { Name = "ImageBuilder" }));
        var byArn = await ec2.RunInstancesAsync(Request(new IamInstanceProfileSpecification { Arn = $"arn:aws:iam::{LocalCloudAccounts.AccountId}:instance-profile/ci/ImageBuilder" }));
        var malformed = () => ec2.RunInstancesAsync(Request(new IamInstanceProfileSpecification { Name = "not a name!" }));

        byName.Reservation.Instances[0].IamInstanceProfile.Arn.Should().Be($"arn:aws:iam::{LocalCloudAccounts.AccountId}:instance-profile/ImageBuilder");
        byArn.Reservation.Instances[0].IamInstanceProfile.Arn.Should().EndWith("instance-profile/ci/ImageBuilder");
        (await malformed.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidParameterValue");
    }

    [Fact]
    public async Task A_retry_with_the_same_client_token_returns_the_same_reservation_and_other_parameters_are_a_mismatch()
    {
        using var ec2 = cloud.Ec2(Region);
        var token = Guid.NewGuid().ToString();
        RunInstancesRequest Request(string type) => new() { ImageId = LocalCloudSeedIds.LinuxEbsImageId, InstanceType = type, MinCount = 1, MaxCount = 1, ClientToken = token };

        var first = await ec2.RunInstancesAsync(Request(InstanceType.T3Micro));
        var retry = await ec2.RunInstancesAsync(Request(InstanceType.T3Micro));
        var changed = () => ec2.RunInstancesAsync(Request(InstanceType.T3Small));

        retry.Reservation.ReservationId.Should().Be(first.Reservation.ReservationId);
        retry.Reservation.Instances.Select(i => i.InstanceId).Should().Equal(first.Reservation.Instances.Select(i => i.InstanceId));
        (await changed.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("IdempotentParameterMismatch");
    }

    [Fact]
    public async Task Tags_on_the_instance_and_volume_specifications_land_on_each()
    {
        using var ec2 = cloud.Ec2(Region);

        var run = await ec2.RunInstancesAsync(new RunInstancesRequest
        {
            ImageId = LocalCloudSeedIds.LinuxEbsImageId, InstanceType = InstanceType.T3Micro, MinCount = 2, MaxCount = 2,
            TagSpecifications =
            [
                new TagSpecification { ResourceType = ResourceType.Instance, Tags = [new Tag("Name", "builder")] },
                new TagSpecification { ResourceType = ResourceType.Volume, Tags = [new Tag("Role", "root")] },
            ],
        });
        var volumes = await ec2.DescribeVolumesAsync(new DescribeVolumesRequest { Filters = [new Filter("attachment.instance-id", [.. run.Reservation.Instances.Select(i => i.InstanceId)])] });

        run.Reservation.Instances.Should().HaveCount(2).And.OnlyContain(i => i.Tags.Any(t => t.Key == "Name" && t.Value == "builder"));
        volumes.Volumes.Should().HaveCount(2).And.OnlyContain(v => v.Tags.Any(t => t.Key == "Role" && t.Value == "root"));
    }

    [Fact]
    public async Task The_instance_ssh_address_option_is_the_launched_instances_address_public_only_when_one_is_associated()
    {
        using var ec2 = cloud.Ec2(Region);
        RunInstancesRequest Request(bool? associate) => new()
        {
            ImageId = LocalCloudSeedIds.LinuxEbsImageId, InstanceType = InstanceType.T3Micro, MinCount = 1, MaxCount = 1,
            NetworkInterfaces = [new InstanceNetworkInterfaceSpecification { DeviceIndex = 0, AssociatePublicIpAddress = associate }],
        };

        var byDefault = (await ec2.RunInstancesAsync(Request(null))).Reservation.Instances[0];
        var without = (await ec2.RunInstancesAsync(Request(false))).Reservation.Instances[0];

        byDefault.PrivateIpAddress.Should().Be("127.0.0.1");
        byDefault.PublicIpAddress.Should().Be("127.0.0.1", "the default subnet maps public IPs on launch");
        without.PrivateIpAddress.Should().Be("127.0.0.1");
        without.PublicIpAddress.Should().BeNull();
    }

    [Fact]
    public async Task Launching_with_a_key_pair_appends_its_public_key_to_the_authorized_keys_file_once()
    {
        using var ec2 = cloud.Ec2(Region);
        var name = $"login-{Guid.NewGuid():N}";
        await ec2.ImportKeyPairAsync(new ImportKeyPairRequest { KeyName = name, PublicKeyMaterial = KeyPairTests.OpenSshPublicKey() });
        var publicKey = (await ec2.DescribeKeyPairsAsync(new DescribeKeyPairsRequest { KeyNames = [name], IncludePublicKey = true })).KeyPairs[0].PublicKey;

        for (var i = 0; i < 2; i++)
        {
            var run = await ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = LocalCloudSeedIds.LinuxEbsImageId, InstanceType = InstanceType.T3Micro, MinCount = 1, MaxCount = 1, KeyName = name });
            run.Reservation.Instances[0].KeyName.Should().Be(name);
        }

        var lines = await File.ReadAllLinesAsync(cloud.AuthorizedKeysFile!);
        lines.Should().ContainSingle(l => l == publicKey);
        publicKey.Should().StartWith("ssh-rsa ");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(cloud.AuthorizedKeysFile!).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public async Task A_terminated_instance_stays_visible_for_an_hour_then_is_gone()
    {
        using var ec2 = cloud.Ec2(Region);
        var id = (await ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = LocalCloudSeedIds.LinuxEbsImageId, InstanceType = InstanceType.T3Micro, MinCount = 1, MaxCount = 1 })).Reservation.Instances[0].InstanceId;
        cloud.Clock.Advance(cloud.InstanceTransitionDelay);

        var terminated = await ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [id] });
        cloud.Clock.Advance(cloud.InstanceTransitionDelay);
        var soon = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [id] });
        cloud.Clock.Advance(TimeSpan.FromHours(1));
        var later = () => ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [id] });

        terminated.TerminatingInstances[0].PreviousState.Name.Should().Be(InstanceStateName.Running);
        soon.Reservations[0].Instances[0].State.Name.Should().Be(InstanceStateName.Terminated);
        (await later.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidInstanceID.NotFound");
    }

    private async Task<string> OtherAccountGroupAsync()
    {
        using var other = cloud.Ec2(Region, otherAccount: true);
        return (await other.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = $"theirs-{Guid.NewGuid():N}", Description = "d" })).GroupId;
    }

    private static async Task NothingLaunchedFromAsync(AmazonEC2Client ec2, string imageId, string because)
    {
        var launched = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = [new Filter("image-id", [imageId]), new Filter("instance-state-name", ["pending"])] });
        (launched.Reservations ?? []).Should().BeEmpty(because);
    }
}
