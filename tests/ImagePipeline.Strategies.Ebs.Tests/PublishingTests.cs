using System.Text.Json;
using Amazon.EC2;
using Amazon.EC2.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.LocalCloud;
using ImagePipeline.Testing;

namespace ImagePipeline.Strategies.Ebs.Tests;

public sealed class PublishingTests(PipelineCloudFixture cloud) : IClassFixture<PipelineCloudFixture>
{
    private const string OrganizationArn = "arn:aws:organizations::123456789012:organization/o-abcdef1234";

    [Fact]
    public async Task Region_copies_give_one_tagged_available_image_per_region()
    {
        await using var bake = new EbsBake(cloud, cloud.NewInstance())
            .With("copy-to-regions", "us-west-2,eu-west-1")
            .With("tags", "team=platform")
            .With("snapshot-tags", "backup=none");

        var result = await bake.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        var ids = JsonSerializer.Deserialize<Dictionary<string, string>>(result.Outputs[WellKnownOutputs.ImageIds])!;
        ids.Keys.Should().BeEquivalentTo(["us-east-1", "us-west-2", "eu-west-1"]);
        foreach (var (region, imageId) in ids)
        {
            var image = (await cloud.ImagesNamedAsync(bake.ImageName, region)).Should().ContainSingle().Subject;
            image.ImageId.Should().Be(imageId);
            image.State.Should().Be(ImageState.Available);
            image.Tags.Should().Contain(tag => tag.Key == "team" && tag.Value == "platform");
            (await cloud.SnapshotsOfAsync(image, region)).Should().NotBeEmpty().And.OnlyContain(snapshot => snapshot.Tags.Any(tag => tag.Key == "backup"));
        }
    }

    [Fact]
    public async Task Encrypted_copies_have_encrypted_snapshots_with_the_given_key()
    {
        const string key = "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        await using var bake = new EbsBake(cloud, cloud.NewInstance())
            .With("copy-to-regions", "us-west-2")
            .With("encrypt-copies", "true")
            .With("kms-key-id", key);

        var result = await bake.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        var copy = (await cloud.ImagesNamedAsync(bake.ImageName, "us-west-2")).Should().ContainSingle().Subject;
        (await cloud.SnapshotsOfAsync(copy, "us-west-2")).Should().OnlyContain(snapshot => snapshot.Encrypted == true && snapshot.KmsKeyId == key);
    }

    [Fact]
    public async Task Sharing_grants_launch_permissions_to_accounts_and_organizations_in_every_region()
    {
        await using var bake = new EbsBake(cloud, cloud.NewInstance())
            .With("share-with-accounts", LocalCloudAccounts.OtherAccountId)
            .With("share-with-org-arns", OrganizationArn)
            .With("copy-to-regions", "us-west-2");

        var result = await bake.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        var ids = JsonSerializer.Deserialize<Dictionary<string, string>>(result.Outputs[WellKnownOutputs.ImageIds])!;
        foreach (var (region, imageId) in ids)
        {
            using var ec2 = cloud.Ec2(region);
            var attribute = await ec2.DescribeImageAttributeAsync(new DescribeImageAttributeRequest { ImageId = imageId, Attribute = ImageAttributeName.LaunchPermission });
            attribute.ImageAttribute.LaunchPermissions.Should().Contain(permission => permission.UserId == LocalCloudAccounts.OtherAccountId);
            attribute.ImageAttribute.LaunchPermissions.Should().Contain(permission => permission.OrganizationArn == OrganizationArn);
        }
    }

    [Fact]
    public async Task Deprecate_at_schedules_the_deprecation()
    {
        await using var bake = new EbsBake(cloud, cloud.NewInstance()).With("deprecate-at", "2030-06-30T00:00:00Z");

        var result = await bake.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        var image = (await cloud.ImagesNamedAsync(bake.ImageName)).Should().ContainSingle().Subject;
        DateTimeOffset.Parse(image.DeprecationTime, System.Globalization.CultureInfo.InvariantCulture).Should().Be(new DateTimeOffset(2030, 6, 30, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Force_deregister_keeps_the_old_image_until_the_new_one_is_available()
    {
        var instanceId = cloud.NewInstance();
        await using var first = new EbsBake(cloud, instanceId);
        (await first.RunAsync()).Outcome.Should().Be(RunOutcome.Succeeded, first.Logs);
        var old = (await cloud.ImagesNamedAsync(first.ImageName)).Single();
        var oldSnapshots = (await cloud.SnapshotsOfAsync(old)).Select(snapshot => snapshot.SnapshotId).ToArray();

        await using var second = new EbsBake(cloud, instanceId)
            .With("ami-name", first.ImageName)
            .With("force-deregister", "true")
            .With("force-delete-snapshots", "true");
        var result = await second.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Succeeded, second.Logs);
        var current = (await cloud.ImagesNamedAsync(first.ImageName)).Should().ContainSingle().Subject;
        current.ImageId.Should().NotBe(old.ImageId).And.Be(result.Outputs[WellKnownOutputs.ImageId]);
        current.State.Should().Be(ImageState.Available);

        // The old image went only after the new one (under its temporary name) was available.
        var region = cloud.Region();
        var temporary = region.Images.Values.Should().ContainSingle(image => image.Name.Contains("(imagepipeline ", StringComparison.Ordinal) && image.Name.StartsWith(first.ImageName, StringComparison.Ordinal)).Subject;
        temporary.Deregistered.Should().BeTrue("the temporary image is removed once the final one exists");
        var temporaryAvailableAt = temporary.Timeline.Entries.Single(entry => entry.State == "available").At;
        var oldRecord = region.Images[old.ImageId];
        oldRecord.Deregistered.Should().BeTrue();
        temporaryAvailableAt.Should().BeBefore(region.Images[current.ImageId].CreationDate);
        region.Snapshots.Keys.Should().NotContain(oldSnapshots, "--force-delete-snapshots deletes the old image's snapshots");
        region.Images.Values.Count(image => !image.Deregistered && image.Name.StartsWith(first.ImageName, StringComparison.Ordinal)).Should().Be(1);
        cloud.InstanceState(instanceId).Should().Be("running");
    }

    [Fact]
    public async Task Force_deregister_without_an_existing_image_just_creates_it()
    {
        await using var bake = new EbsBake(cloud, cloud.NewInstance()).With("force-deregister", "true");

        var result = await bake.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        (await cloud.ImagesNamedAsync(bake.ImageName)).Should().ContainSingle().Which.ImageId.Should().Be(result.Outputs[WellKnownOutputs.ImageId]);
    }
}
