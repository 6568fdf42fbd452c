using Amazon.EC2;
using Amazon.EC2.Model;

namespace ImagePipeline.LocalCloud.Tests;

/// <summary>The public Amazon images every region has, found as a source-image filter finds them.</summary>
public sealed class BaseImageTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private const string Region = "ap-southeast-1";

    [Fact]
    public async Task A_name_pattern_finds_both_amazon_linux_2023_x86_64_images_with_different_creation_dates()
    {
        using var ec2 = cloud.Ec2(Region);

        var images = (await ec2.DescribeImagesAsync(new DescribeImagesRequest
        {
            Owners = ["amazon"],
            Filters = [new Filter("name", ["al2023-ami-2023.*-kernel-6.1-x86_64"]), new Filter("state", ["available"])],
        })).Images;

        images.Select(i => i.ImageId).Should().BeEquivalentTo([LocalCloudSeedIds.LinuxEbsImageId, LocalCloudSeedIds.OlderLinuxEbsImageId]);
        images.Select(i => i.CreationDate).Should().OnlyHaveUniqueItems();
        images.MaxBy(i => DateTimeOffset.Parse(i.CreationDate, System.Globalization.CultureInfo.InvariantCulture))!.ImageId.Should().Be(LocalCloudSeedIds.LinuxEbsImageId);
        images.Should().OnlyContain(i => i.ImageOwnerAlias == "amazon" && i.OwnerId == "137112412989" && i.Public == true);
    }

    [Fact]
    public async Task The_question_mark_wildcard_matches_one_character()
    {
        using var ec2 = cloud.Ec2(Region);

        var images = (await ec2.DescribeImagesAsync(new DescribeImagesRequest { Filters = [new Filter("name", ["al2023-ami-2023.6.2024111?.0-kernel-6.1-*"])] })).Images;

        images.Select(i => i.ImageId).Should().BeEquivalentTo([LocalCloudSeedIds.LinuxEbsImageId, LocalCloudSeedIds.LinuxArmEbsImageId]);
    }

    [Theory]
    [InlineData("architecture", "arm64", LocalCloudSeedIds.LinuxArmEbsImageId)]
    [InlineData("root-device-type", "instance-store", LocalCloudSeedIds.LinuxInstanceStoreImageId)]
    [InlineData("platform", "windows", LocalCloudSeedIds.WindowsEbsImageId)]
    [InlineData("owner-alias", "amazon", LocalCloudSeedIds.LinuxEbsImageId)]
    [InlineData("virtualization-type", "hvm", LocalCloudSeedIds.LinuxInstanceStoreImageId)]
    [InlineData("owner-id", "801119661308", LocalCloudSeedIds.WindowsInstanceStoreImageId)]
    public async Task Each_documented_filter_selects_the_seeded_images_it_describes(string filter, string value, string expected)
    {
        using var ec2 = cloud.Ec2(Region);

        var images = (await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["amazon"], Filters = [new Filter(filter, [value])] })).Images;

        images.Select(i => i.ImageId).Should().Contain(expected);
        images.Should().OnlyContain(i => Attribute(i, filter) == value);
    }

    [Fact]
    public async Task The_windows_and_instance_store_images_are_what_their_names_say()
    {
        using var ec2 = cloud.Ec2(Region);

        var images = (await ec2.DescribeImagesAsync(new DescribeImagesRequest
        {
            ImageIds = [LocalCloudSeedIds.WindowsEbsImageId, LocalCloudSeedIds.LinuxInstanceStoreImageId, LocalCloudSeedIds.WindowsInstanceStoreImageId],
        })).Images.ToDictionary(i => i.ImageId);

        images[LocalCloudSeedIds.WindowsEbsImageId].Name.Should().Be("Windows_Server-2022-English-Full-Base-2024.10.09");
        images[LocalCloudSeedIds.WindowsEbsImageId].Platform.Should().Be(PlatformValues.Windows);
        images[LocalCloudSeedIds.LinuxInstanceStoreImageId].Name.Should().Be("amzn-ami-hvm-2018.03.0.20231218.0-x86_64-s3");
        images[LocalCloudSeedIds.LinuxInstanceStoreImageId].RootDeviceType.Value.Should().Be("instance-store");
        images[LocalCloudSeedIds.WindowsInstanceStoreImageId].RootDeviceType.Value.Should().Be("instance-store");
        images[LocalCloudSeedIds.WindowsInstanceStoreImageId].Platform.Should().Be(PlatformValues.Windows);
    }

    [Fact]
    public async Task Owners_self_excludes_amazons_images_and_an_account_id_names_its_owner()
    {
        using var ec2 = cloud.Ec2(Region);

        var self = (await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"] })).Images ?? [];
        var byAccount = (await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["137112412989"] })).Images;
        var marketplace = (await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["aws-marketplace"] })).Images ?? [];
        var executable = (await ec2.DescribeImagesAsync(new DescribeImagesRequest { ExecutableUsers = ["all"], Owners = ["amazon"] })).Images;

        self.Should().NotContain(i => i.ImageOwnerAlias == "amazon");
        byAccount.Should().HaveCount(4).And.OnlyContain(i => i.OwnerId == "137112412989");
        marketplace.Should().BeEmpty();
        executable.Should().HaveCount(6);
    }

    [Fact]
    public async Task An_unknown_filter_name_is_refused()
    {
        using var ec2 = cloud.Ec2(Region);

        var act = () => ec2.DescribeImagesAsync(new DescribeImagesRequest { Filters = [new Filter("flavour", ["vanilla"])] });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidParameterValue");
    }

    private static string? Attribute(Image image, string filter) => filter switch
    {
        "architecture" => image.Architecture.Value,
        "root-device-type" => image.RootDeviceType.Value,
        "platform" => image.Platform?.Value.ToLowerInvariant(),
        "owner-alias" => image.ImageOwnerAlias,
        "virtualization-type" => image.VirtualizationType.Value,
        "owner-id" => image.OwnerId,
        _ => throw new ArgumentOutOfRangeException(nameof(filter)),
    };
}
