using Amazon.EC2;
using Amazon.EC2.Model;

namespace ImagePipeline.LocalCloud.Tests;

public sealed class Ec2PagingTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private const string Region = "ap-southeast-1";

    [Fact]
    public async Task Describe_images_pages_with_max_results_and_next_token_until_every_image_is_seen()
    {
        using var ec2 = cloud.Ec2(Region);
        var created = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            created.Add((await ec2.CreateImageAsync(new CreateImageRequest { InstanceId = LocalCloudSeedIds.LinuxEbsInstanceId, Name = $"paged-{i}-{Guid.NewGuid():N}", NoReboot = true })).ImageId);
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"], MaxResults = 6, NextToken = token });
            seen.AddRange(page.Images.Select(i => i.ImageId));
            token = page.NextToken;
            pages++;
        }
        while (token is not null);

        pages.Should().Be(2);
        seen.Should().BeEquivalentTo(created);
    }

    [Fact]
    public async Task Max_results_together_with_instance_ids_is_an_invalid_parameter_combination()
    {
        using var ec2 = cloud.Ec2(Region);

        var act = () => ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [LocalCloudSeedIds.LinuxEbsInstanceId], MaxResults = 5 });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidParameterCombination");
    }

    [Fact]
    public async Task Max_results_below_the_minimum_and_a_foreign_token_are_refused()
    {
        using var ec2 = cloud.Ec2(Region);

        var tooSmall = () => ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { MaxResults = 2 });
        var foreign = () => ec2.DescribeInstancesAsync(new DescribeInstancesRequest { NextToken = "bm90LW91cnM=" });

        (await tooSmall.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidParameterValue");
        (await foreign.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidPaginationToken");
    }

    [Fact]
    public async Task The_seeded_instances_were_launched_from_public_amazon_images_anyone_can_describe()
    {
        using var ec2 = cloud.Ec2(Region, otherAccount: true);
        using var mine = cloud.Ec2(Region);
        var instance = (await mine.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [LocalCloudSeedIds.WindowsEbsInstanceId] })).Reservations[0].Instances[0];

        var images = await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["amazon"], Filters = [new Filter("platform", ["windows"])] });
        var base_ = (await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [instance.ImageId] })).Images.Single();

        images.Images.Should().HaveCount(2).And.OnlyContain(i => i.Public == true && i.ImageOwnerAlias == "amazon");
        base_.Name.Should().StartWith("Windows_Server-2022");
    }

    [Fact]
    public async Task Instance_status_checks_pass_for_running_instances()
    {
        using var ec2 = cloud.Ec2(Region);

        var status = await ec2.DescribeInstanceStatusAsync(new DescribeInstanceStatusRequest { InstanceIds = [LocalCloudSeedIds.LinuxEbsInstanceId] });

        status.InstanceStatuses.Should().ContainSingle();
        status.InstanceStatuses[0].Status.Status.Should().Be(SummaryStatus.Ok);
        status.InstanceStatuses[0].SystemStatus.Status.Should().Be(SummaryStatus.Ok);
    }
}
