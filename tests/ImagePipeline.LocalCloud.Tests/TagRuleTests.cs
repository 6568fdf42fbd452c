using Amazon.EC2;
using Amazon.EC2.Model;

namespace ImagePipeline.LocalCloud.Tests;

/// <summary>The local cloud refuses the tags EC2 refuses, with EC2's error codes, on CreateTags and on every tag specification.</summary>
public sealed class TagRuleTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private const string Region = "us-east-1";

    public static TheoryData<string, Tag[], string> RefusedTags => new()
    {
        { "a key given twice", [new Tag("a", "1"), new Tag("a", "2")], "InvalidParameterValue" },
        { "an aws: key", [new Tag("aws:owner", "me")], "InvalidParameterValue" },
        { "an AWS: key in capitals", [new Tag("AWS:Owner", "me")], "InvalidParameterValue" },
        { "an empty key", [new Tag("", "x")], "InvalidParameterValue" },
        { "a key of 129 characters", [new Tag(new string('k', 129), "x")], "InvalidParameterValue" },
        { "a value of 257 characters", [new Tag("k", new string('v', 257))], "InvalidParameterValue" },
        { "51 tags", Enumerable.Range(0, 51).Select(i => new Tag($"key{i}", "v")).ToArray(), "TagLimitExceeded" },
    };

    [Theory]
    [MemberData(nameof(RefusedTags))]
    public async Task CreateTags_refuses_what_ec2_refuses_and_tags_nothing(string @case, Tag[] tags, string code)
    {
        using var ec2 = cloud.Ec2(Region);
        var instanceId = cloud.Server.SeedInstance(new InstanceSeed { Region = Region });

        var act = () => ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [instanceId], Tags = [.. tags] });

        (await act.Should().ThrowAsync<AmazonEC2Exception>(@case)).Which.ErrorCode.Should().Be(code, @case);
        (await ec2.DescribeTagsAsync(new DescribeTagsRequest { Filters = [new Filter("resource-id", [instanceId])] })).Tags.Should().BeNullOrEmpty(@case);
    }

    [Theory]
    [MemberData(nameof(RefusedTags))]
    public async Task CreateImage_refuses_the_same_tags_in_a_tag_specification_and_creates_nothing(string @case, Tag[] tags, string code)
    {
        using var ec2 = cloud.Ec2(Region);
        var instanceId = cloud.Server.SeedInstance(new InstanceSeed { Region = Region });
        var name = $"tagged-{Guid.NewGuid():N}";

        var act = () => ec2.CreateImageAsync(new CreateImageRequest
        {
            InstanceId = instanceId,
            Name = name,
            NoReboot = true,
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Image, Tags = [.. tags] }],
        });

        (await act.Should().ThrowAsync<AmazonEC2Exception>(@case)).Which.ErrorCode.Should().Be(code, @case);
        (await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"], Filters = [new Filter("name", [name])] })).Images.Should().BeNullOrEmpty(@case);
    }

    [Fact]
    public async Task Tags_that_would_take_a_resource_past_50_are_refused_on_every_resource_of_the_call()
    {
        using var ec2 = cloud.Ec2(Region);
        var full = cloud.Server.SeedInstance(new InstanceSeed { Region = Region });
        var empty = cloud.Server.SeedInstance(new InstanceSeed { Region = Region });
        await ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [full], Tags = [.. Enumerable.Range(0, 50).Select(i => new Tag($"key{i}", "v"))] });

        var act = () => ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [empty, full], Tags = [new Tag("one-more", "v")] });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("TagLimitExceeded");
        (await ec2.DescribeTagsAsync(new DescribeTagsRequest { Filters = [new Filter("resource-id", [empty])] })).Tags.Should().BeNullOrEmpty("a refused call changes nothing");
    }

    [Fact]
    public async Task Replacing_the_value_of_an_existing_key_does_not_count_as_a_new_tag()
    {
        using var ec2 = cloud.Ec2(Region);
        var instanceId = cloud.Server.SeedInstance(new InstanceSeed { Region = Region });
        await ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [instanceId], Tags = [.. Enumerable.Range(0, 50).Select(i => new Tag($"key{i}", "v"))] });

        await ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [instanceId], Tags = [new Tag("key0", "changed")] });

        (await ec2.DescribeTagsAsync(new DescribeTagsRequest { Filters = [new Filter("resource-id", [instanceId]), new Filter("key", ["key0"])] })).Tags.Should().ContainSingle().Which.Value.Should().Be("changed");
    }
}
