using ImagePipeline.Abstractions;
using ImagePipeline.Core.Sessions;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

[Collection(LocalCloudCollection.Name)]
public sealed class ImageNameTests(InstanceStoreCloudFixture cloud)
{
    [Fact]
    public async Task A_second_image_of_the_same_name_is_refused_before_anything_is_uploaded()
    {
        await using var bake = new Bake(cloud);
        (await bake.RunAsync(bake.LinuxParameters(bake.SmallImage()))).Outcome.Should().Be(RunOutcome.Succeeded);
        var objectsBefore = bake.ObjectKeys;

        await using var second = new Bake(cloud);
        var parameters = second.LinuxParameters(second.SmallImage());
        parameters["ami-name"] = bake.ImageName;
        var run = () => second.RunAsync(parameters);

        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors
            .Should().ContainSingle(message => message.Contains($"An image named '{bake.ImageName}' already exists", StringComparison.Ordinal) && message.Contains("--force-deregister", StringComparison.Ordinal));
        second.BucketExists.Should().BeFalse();
        bake.ObjectKeys.Should().BeEquivalentTo(objectsBefore);
    }

    [Fact]
    public async Task Force_deregister_replaces_the_image_of_the_same_name()
    {
        await using var bake = new Bake(cloud);
        var first = await bake.RunAsync(bake.LinuxParameters(bake.SmallImage()));
        var oldImageId = first.Outputs[WellKnownOutputs.ImageId];

        await using var second = new Bake(cloud);
        var parameters = second.LinuxParameters(second.SmallImage());
        parameters["ami-name"] = bake.ImageName;
        parameters["force-deregister"] = "true";
        var result = await second.RunAsync(parameters);

        result.Outcome.Should().Be(RunOutcome.Succeeded);
        var image = second.LiveImagesNamed(bake.ImageName).Should().ContainSingle().Subject;
        image.ImageId.Should().NotBe(oldImageId).And.Be(result.Outputs[WellKnownOutputs.ImageId]);
    }

    [Fact]
    public async Task Placeholders_in_the_name_are_expanded()
    {
        await using var bake = new Bake(cloud);
        var parameters = bake.LinuxParameters(bake.SmallImage());
        parameters["ami-name"] = bake.ImageName + "-{date}-{timestamp}";

        var result = await bake.RunAsync(parameters);

        result.Outcome.Should().Be(RunOutcome.Succeeded);
        cloud.LiveImages().Should().ContainSingle(image => image.ImageId == result.Outputs[WellKnownOutputs.ImageId])
            .Which.Name.Should().MatchRegex($@"^{bake.ImageName}-\d{{4}}-\d{{2}}-\d{{2}}-\d{{14}}$");
    }
}
