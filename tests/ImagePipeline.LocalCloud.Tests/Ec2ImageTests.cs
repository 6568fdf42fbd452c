using Amazon.EC2;
using Amazon.EC2.Model;

namespace ImagePipeline.LocalCloud.Tests;

public sealed class Ec2ImageTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private const string Region = "us-east-2";

    private static string UniqueName(string prefix = "image") => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>An image of <paramref name="instanceId"/> in <see cref="Region"/>, made available by moving the clock.</summary>
    private async Task<string> AvailableImageAsync(string instanceId)
    {
        using var source = cloud.Ec2(Region);
        var created = await source.CreateImageAsync(new CreateImageRequest { InstanceId = instanceId, Name = UniqueName(), NoReboot = true });
        cloud.Clock.Advance(TimeSpan.FromSeconds(31));
        return created.ImageId;
    }

    private async Task<Image> DescribeAsync(AmazonEC2Client ec2, string imageId) =>
        (await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId] })).Images.Single();

    [Fact]
    public async Task Create_image_snapshots_each_ebs_volume_and_turns_available_after_the_delay()
    {
        using var ec2 = cloud.Ec2(Region);
        var instanceId = cloud.Server.SeedInstance(new InstanceSeed { Region = Region, Platform = "windows" });
        var name = UniqueName();

        var created = await ec2.CreateImageAsync(new CreateImageRequest
        {
            InstanceId = instanceId,
            Name = name,
            Description = "baked",
            NoReboot = true,
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Image, Tags = [new Tag("Pipeline", "yes")] }, new TagSpecification { ResourceType = ResourceType.Snapshot, Tags = [new Tag("Pipeline", "yes")] }],
        });
        var pending = await DescribeAsync(ec2, created.ImageId);
        cloud.Clock.Advance(TimeSpan.FromSeconds(31));
        var available = await DescribeAsync(ec2, created.ImageId);
        var snapshots = await ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { OwnerIds = ["self"], Filters = [new Filter("tag:Pipeline", ["yes"])] });

        pending.State.Should().Be(ImageState.Pending);
        available.State.Should().Be(ImageState.Available);
        cloud.Server.GetImageState(Region, created.ImageId).Should().Be("available");
        available.Name.Should().Be(name);
        available.Description.Should().Be("baked");
        available.Platform.Should().Be(PlatformValues.Windows);
        available.RootDeviceType.Should().Be(DeviceType.Ebs);
        available.Tags.Should().ContainSingle(t => t.Key == "Pipeline");
        available.BlockDeviceMappings.Should().HaveCount(2).And.OnlyContain(b => b.Ebs.SnapshotId.StartsWith("snap-"));
        snapshots.Snapshots.Select(s => s.SnapshotId).Should().BeEquivalentTo(available.BlockDeviceMappings.Select(b => b.Ebs.SnapshotId));
        snapshots.Snapshots.Should().OnlyContain(s => s.State == SnapshotState.Completed && s.Progress == "100%");
    }

    [Fact]
    public async Task Create_image_honours_no_device_and_a_bigger_volume_size()
    {
        using var ec2 = cloud.Ec2(Region);
        var instanceId = cloud.Server.SeedInstance(new InstanceSeed { Region = Region, Platform = "windows" });

        var created = await ec2.CreateImageAsync(new CreateImageRequest
        {
            InstanceId = instanceId,
            Name = UniqueName(),
            NoReboot = true,
            BlockDeviceMappings =
            [
                new BlockDeviceMapping { DeviceName = "/dev/xvdf", NoDevice = "" },
                new BlockDeviceMapping { DeviceName = "/dev/sda1", Ebs = new EbsBlockDevice { VolumeSize = 50, VolumeType = VolumeType.Gp3 } },
            ],
        });
        var image = await DescribeAsync(ec2, created.ImageId);

        image.BlockDeviceMappings.Should().ContainSingle();
        image.BlockDeviceMappings[0].DeviceName.Should().Be("/dev/sda1");
        image.BlockDeviceMappings[0].Ebs.VolumeSize.Should().Be(50);
    }

    [Fact]
    public async Task Create_image_without_no_reboot_stops_and_restarts_a_running_instance()
    {
        using var ec2 = cloud.Ec2(Region);
        var instanceId = cloud.Server.SeedInstance(new InstanceSeed { Region = Region });

        await ec2.CreateImageAsync(new CreateImageRequest { InstanceId = instanceId, Name = UniqueName() });
        var during = cloud.Server.GetInstanceState(Region, instanceId);
        cloud.Clock.Advance(TimeSpan.FromSeconds(15));
        var stopped = cloud.Server.GetInstanceState(Region, instanceId);
        cloud.Clock.Advance(TimeSpan.FromSeconds(20));

        during.Should().Be("stopping");
        stopped.Should().Be("stopped");
        cloud.Server.GetInstanceState(Region, instanceId).Should().Be("running");
    }

    [Fact]
    public async Task A_second_image_with_the_same_name_is_a_duplicate()
    {
        using var ec2 = cloud.Ec2(Region);
        var name = UniqueName();
        await ec2.CreateImageAsync(new CreateImageRequest { InstanceId = LocalCloudSeedIds.LinuxEbsInstanceId, Name = name, NoReboot = true });

        var act = () => ec2.CreateImageAsync(new CreateImageRequest { InstanceId = LocalCloudSeedIds.LinuxEbsInstanceId, Name = name, NoReboot = true });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidAMIName.Duplicate");
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("name with a comma, here")]
    [InlineData("name*star")]
    public async Task A_name_breaking_the_ami_name_rules_is_malformed(string name)
    {
        using var ec2 = cloud.Ec2(Region);

        var act = () => ec2.CreateImageAsync(new CreateImageRequest { InstanceId = LocalCloudSeedIds.LinuxEbsInstanceId, Name = name, NoReboot = true });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidAMIName.Malformed");
    }

    [Fact]
    public async Task Create_image_from_an_instance_store_instance_is_refused()
    {
        using var ec2 = cloud.Ec2(Region);

        var act = () => ec2.CreateImageAsync(new CreateImageRequest { InstanceId = LocalCloudSeedIds.WindowsInstanceStoreInstanceId, Name = UniqueName(), NoReboot = true });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidParameterValue");
    }

    [Fact]
    public async Task Describe_images_filters_by_name_state_and_owner_self()
    {
        using var ec2 = cloud.Ec2(Region);
        var name = UniqueName("filtered");
        var created = await ec2.CreateImageAsync(new CreateImageRequest { InstanceId = LocalCloudSeedIds.LinuxEbsInstanceId, Name = name, NoReboot = true });

        var byName = await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"], Filters = [new Filter("name", [name]), new Filter("state", ["pending"])] });
        var wildcard = await ec2.DescribeImagesAsync(new DescribeImagesRequest { Filters = [new Filter("name", ["filtered-*"]), new Filter("image-type", ["machine"])] });
        var otherOwner = await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = [LocalCloudAccounts.OtherAccountId], Filters = [new Filter("name", [name])] });

        byName.Images.Select(i => i.ImageId).Should().Equal(created.ImageId);
        wildcard.Images.Select(i => i.ImageId).Should().Contain(created.ImageId);
        otherOwner.Images.Should().BeNullOrEmpty();
    }

    [Fact]
    public async Task An_unknown_image_is_not_found_and_another_accounts_private_image_is_invisible()
    {
        using var ec2 = cloud.Ec2(Region);
        using var other = cloud.Ec2(Region, otherAccount: true);
        var created = await ec2.CreateImageAsync(new CreateImageRequest { InstanceId = LocalCloudSeedIds.LinuxEbsInstanceId, Name = UniqueName(), NoReboot = true });

        var unknown = () => ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = ["ami-0123456789abcdef0"] });
        var invisible = () => other.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [created.ImageId] });

        (await unknown.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidAMIID.NotFound");
        (await invisible.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidAMIID.NotFound");
    }

    [Fact]
    public async Task A_launch_permission_shares_the_image_with_another_account_and_can_be_read_back()
    {
        using var ec2 = cloud.Ec2(Region);
        using var other = cloud.Ec2(Region, otherAccount: true);
        var created = await ec2.CreateImageAsync(new CreateImageRequest { InstanceId = LocalCloudSeedIds.LinuxEbsInstanceId, Name = UniqueName(), NoReboot = true });

        await ec2.ModifyImageAttributeAsync(new ModifyImageAttributeRequest
        {
            ImageId = created.ImageId,
            LaunchPermission = new LaunchPermissionModifications { Add = [new LaunchPermission { UserId = LocalCloudAccounts.OtherAccountId }] },
        });
        var attribute = await ec2.DescribeImageAttributeAsync(new DescribeImageAttributeRequest { ImageId = created.ImageId, Attribute = ImageAttributeName.LaunchPermission });
        var seen = await other.DescribeImagesAsync(new DescribeImagesRequest { ExecutableUsers = ["self"] });

        attribute.ImageAttribute.LaunchPermissions.Select(p => p.UserId).Should().Equal(LocalCloudAccounts.OtherAccountId);
        seen.Images.Select(i => i.ImageId).Should().Contain(created.ImageId);
    }

    [Fact]
    public async Task A_launch_permission_group_other_than_all_is_refused()
    {
        using var ec2 = cloud.Ec2(Region);
        var created = await ec2.CreateImageAsync(new CreateImageRequest { InstanceId = LocalCloudSeedIds.LinuxEbsInstanceId, Name = UniqueName(), NoReboot = true });

        var act = () => ec2.ModifyImageAttributeAsync(new ModifyImageAttributeRequest
        {
            ImageId = created.ImageId,
            LaunchPermission = new LaunchPermissionModifications { Add = [new LaunchPermission { Group = "everyone" }] },
        });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidAMIAttributeItemValue");
    }

    [Fact]
    public async Task Enabling_deprecation_shows_the_deprecation_time_in_describe_images()
    {
        using var ec2 = cloud.Ec2(Region);
        var created = await ec2.CreateImageAsync(new CreateImageRequest { InstanceId = LocalCloudSeedIds.LinuxEbsInstanceId, Name = UniqueName(), NoReboot = true });
        var at = cloud.Clock.GetUtcNow().AddDays(30).UtcDateTime;

        await ec2.EnableImageDeprecationAsync(new EnableImageDeprecationRequest { ImageId = created.ImageId, DeprecateAt = at });
        var image = await DescribeAsync(ec2, created.ImageId);

        DateTimeOffset.Parse(image.DeprecationTime, System.Globalization.CultureInfo.InvariantCulture).Should().BeCloseTo(at, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task A_snapshot_used_by_a_registered_image_cannot_be_deleted_until_the_image_is_deregistered()
    {
        using var ec2 = cloud.Ec2(Region);
        var created = await ec2.CreateImageAsync(new CreateImageRequest { InstanceId = LocalCloudSeedIds.LinuxEbsInstanceId, Name = UniqueName(), NoReboot = true });
        var snapshotId = (await DescribeAsync(ec2, created.ImageId)).BlockDeviceMappings[0].Ebs.SnapshotId;

        var inUse = () => ec2.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = snapshotId });
        (await inUse.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidSnapshot.InUse");
        await ec2.DeregisterImageAsync(new DeregisterImageRequest { ImageId = created.ImageId });
        await ec2.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = snapshotId });
        var gone = () => ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { SnapshotIds = [snapshotId] });

        (await gone.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidSnapshot.NotFound");
        var deregistered = () => ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [created.ImageId] });
        (await deregistered.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidAMIID.NotFound");
    }

    [Fact]
    public async Task Register_image_from_a_snapshot_keeps_architecture_boot_mode_ena_and_imds()
    {
        using var ec2 = cloud.Ec2(Region);
        var created = await ec2.CreateImageAsync(new CreateImageRequest { InstanceId = LocalCloudSeedIds.LinuxEbsInstanceId, Name = UniqueName(), NoReboot = true });
        var snapshotId = (await DescribeAsync(ec2, created.ImageId)).BlockDeviceMappings[0].Ebs.SnapshotId;

        var registered = await ec2.RegisterImageAsync(new RegisterImageRequest
        {
            Name = UniqueName("from-snapshot"),
            RootDeviceName = "/dev/xvda",
            BlockDeviceMappings = [new BlockDeviceMapping { DeviceName = "/dev/xvda", Ebs = new EbsBlockDevice { SnapshotId = snapshotId, VolumeType = VolumeType.Gp3 } }],
            Architecture = ArchitectureValues.Arm64,
            VirtualizationType = "hvm",
            BootMode = BootModeValues.Uefi,
            EnaSupport = true,
            ImdsSupport = ImdsSupportValues.V20,
        });
        var image = await DescribeAsync(ec2, registered.ImageId);

        image.Architecture.Should().Be(ArchitectureValues.Arm64);
        image.BootMode.Should().Be(BootModeValues.Uefi);
        image.EnaSupport.Should().BeTrue();
        image.ImdsSupport.Should().Be(ImdsSupportValues.V20);
        image.VirtualizationType.Should().Be(VirtualizationType.Hvm);
        image.RootDeviceType.Should().Be(DeviceType.Ebs);
    }

    [Fact]
    public async Task Copy_image_in_the_destination_region_makes_an_encrypted_copy_that_becomes_available()
    {
        var created = await AvailableImageAsync(LocalCloudSeedIds.LinuxEbsInstanceId);
        using var destination = cloud.Ec2("eu-west-1");

        var copy = await destination.CopyImageAsync(new CopyImageRequest
        {
            SourceRegion = Region,
            SourceImageId = created,
            Name = UniqueName("copy"),
            Encrypted = true,
            KmsKeyId = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555",
        });
        var pending = await DescribeAsync(destination, copy.ImageId);
        cloud.Clock.Advance(TimeSpan.FromSeconds(31));
        var available = await DescribeAsync(destination, copy.ImageId);

        pending.State.Should().Be(ImageState.Pending);
        available.State.Should().Be(ImageState.Available);
        available.BlockDeviceMappings[0].Ebs.Encrypted.Should().BeTrue();
        available.BlockDeviceMappings[0].Ebs.KmsKeyId.Should().EndWith("555555555555");
        using var source = cloud.Ec2(Region);
        var wrongRegion = () => source.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [copy.ImageId] });
        (await wrongRegion.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidAMIID.NotFound");
    }

    [Fact]
    public async Task Copy_image_tags_the_new_image_and_every_new_snapshot_as_its_tag_specifications_say()
    {
        var created = await AvailableImageAsync(LocalCloudSeedIds.WindowsEbsInstanceId);
        using var destination = cloud.Ec2("eu-west-1");

        var copy = await destination.CopyImageAsync(new CopyImageRequest
        {
            SourceRegion = Region,
            SourceImageId = created,
            Name = UniqueName("tagged-copy"),
            TagSpecifications =
            [
                new TagSpecification { ResourceType = ResourceType.Image, Tags = [new Tag("Role", "image")] },
                new TagSpecification { ResourceType = ResourceType.Snapshot, Tags = [new Tag("Role", "snapshot")] },
            ],
        });
        var image = await DescribeAsync(destination, copy.ImageId);
        var snapshotIds = image.BlockDeviceMappings.Where(m => m.Ebs?.SnapshotId is not null).Select(m => m.Ebs.SnapshotId).ToList();
        var snapshots = (await destination.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { SnapshotIds = snapshotIds })).Snapshots;

        image.Tags.Should().ContainSingle().Which.Value.Should().Be("image");
        snapshotIds.Should().HaveCount(2, "the Windows instance has two EBS volumes");
        snapshots.Should().HaveCount(2).And.OnlyContain(s => s.Tags.Count == 1 && s.Tags[0].Key == "Role" && s.Tags[0].Value == "snapshot");
    }

    [Fact]
    public async Task Copy_image_refuses_a_tag_specification_for_a_resource_it_does_not_create()
    {
        var created = await AvailableImageAsync(LocalCloudSeedIds.LinuxEbsInstanceId);
        using var destination = cloud.Ec2("eu-west-1");

        var act = () => destination.CopyImageAsync(new CopyImageRequest
        {
            SourceRegion = Region,
            SourceImageId = created,
            Name = UniqueName(),
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Instance, Tags = [new Tag("Role", "x")] }],
        });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidParameterValue");
    }

    [Fact]
    public async Task Copy_image_with_a_kms_key_but_no_encryption_is_an_invalid_parameter_combination()
    {
        using var destination = cloud.Ec2("eu-west-1");

        var act = () => destination.CopyImageAsync(new CopyImageRequest { SourceRegion = Region, SourceImageId = "ami-0123456789abcdef0", Name = UniqueName(), KmsKeyId = "alias/x" });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidParameterCombination");
    }

    [Fact]
    public async Task An_unknown_action_is_invalid_action()
    {
        using var ec2 = cloud.Ec2(Region);

        var act = () => ec2.DescribeNatGatewaysAsync(new DescribeNatGatewaysRequest());

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidAction");
    }

    [Fact]
    public async Task Making_an_image_public_shows_it_to_everyone_and_removing_the_group_hides_it_again()
    {
        using var ec2 = cloud.Ec2(Region);
        using var other = cloud.Ec2(Region, otherAccount: true);
        var created = await ec2.CreateImageAsync(new CreateImageRequest { InstanceId = LocalCloudSeedIds.LinuxEbsInstanceId, Name = UniqueName("public"), NoReboot = true });

        await ec2.ModifyImageAttributeAsync(new ModifyImageAttributeRequest { ImageId = created.ImageId, LaunchPermission = new LaunchPermissionModifications { Add = [new LaunchPermission { Group = PermissionGroup.All }] } });
        var asPublic = await other.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [created.ImageId] });
        await ec2.ModifyImageAttributeAsync(new ModifyImageAttributeRequest { ImageId = created.ImageId, LaunchPermission = new LaunchPermissionModifications { Remove = [new LaunchPermission { Group = PermissionGroup.All }] } });
        var hidden = () => other.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [created.ImageId] });

        asPublic.Images.Single().Public.Should().BeTrue();
        (await hidden.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidAMIID.NotFound");
    }

    [Fact]
    public async Task Only_the_owner_may_change_an_image_it_shared()
    {
        using var ec2 = cloud.Ec2(Region);
        using var other = cloud.Ec2(Region, otherAccount: true);
        var created = await ec2.CreateImageAsync(new CreateImageRequest { InstanceId = LocalCloudSeedIds.LinuxEbsInstanceId, Name = UniqueName("shared"), NoReboot = true });
        await ec2.ModifyImageAttributeAsync(new ModifyImageAttributeRequest { ImageId = created.ImageId, LaunchPermission = new LaunchPermissionModifications { Add = [new LaunchPermission { UserId = LocalCloudAccounts.OtherAccountId }] } });

        var act = () => other.DeregisterImageAsync(new DeregisterImageRequest { ImageId = created.ImageId });

        var error = (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which;
        error.ErrorCode.Should().Be("AuthFailure");
    }

    [Fact]
    public async Task The_description_attribute_reads_back_what_modify_image_attribute_set()
    {
        using var ec2 = cloud.Ec2(Region);
        var created = await ec2.CreateImageAsync(new CreateImageRequest { InstanceId = LocalCloudSeedIds.LinuxEbsInstanceId, Name = UniqueName("described"), NoReboot = true });

        await ec2.ModifyImageAttributeAsync(new ModifyImageAttributeRequest { ImageId = created.ImageId, Description = "new words" });
        var attribute = await ec2.DescribeImageAttributeAsync(new DescribeImageAttributeRequest { ImageId = created.ImageId, Attribute = ImageAttributeName.Description });

        attribute.ImageAttribute.Description.Should().Be("new words");
    }
}
