using ImagePipeline.Abstractions;
using ImagePipeline.Core.Sessions;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>
/// A --bundle-destination the user chose may already hold their files. A run never writes over a bundle of its own
/// names (refused in validation, exit 2, before anything is created) and its cleanup removes only the files it wrote.
/// </summary>
[Collection(LocalCloudCollection.Name)]
public sealed class BundleDestinationTests(InstanceStoreCloudFixture cloud)
{
    private const string UsersContent = "the user's own file";

    [Theory]
    [InlineData("kept.manifest.xml")]
    [InlineData("kept.part.0")]
    [InlineData("kept.part.00")]
    [InlineData("kept.part.1.inprogress")]
    [InlineData("kept.manifest.xml.inprogress")]
    public async Task A_destination_holding_a_file_of_the_bundles_names_is_refused_in_validation_and_left_alone(string existing)
    {
        await using var bake = new Bake(cloud);
        var destination = Path.Combine(bake.Directory, "chosen");
        Directory.CreateDirectory(destination);
        var path = Path.Combine(destination, existing);
        await File.WriteAllTextAsync(path, UsersContent);
        var parameters = bake.LinuxParameters(bake.SmallImage());
        parameters["bundle-destination"] = destination;
        parameters["bundle-prefix"] = "kept";

        var run = () => bake.RunAsync(parameters);

        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors
            .Should().ContainSingle(message => message.Contains("already holds", StringComparison.Ordinal) && message.Contains(existing, StringComparison.Ordinal));
        (await File.ReadAllTextAsync(path)).Should().Be(UsersContent);
        Directory.GetFiles(destination).Should().Equal(path);
        bake.BucketExists.Should().BeFalse("nothing is created when validation refuses");
    }

    [Theory]
    [InlineData(PipelineTarget.BundleVolume)]
    [InlineData(PipelineTarget.UploadBundle)]
    [InlineData(PipelineTarget.RegisterImage)]
    public async Task A_failed_run_keeps_every_file_of_the_destination_it_did_not_write(PipelineTarget failAfter)
    {
        await using var bake = new Bake(cloud, new FailAfterTargetPlugin(failAfter));
        var destination = Path.Combine(bake.Directory, "chosen");
        Directory.CreateDirectory(destination);
        string[] users = ["kept.part.README", "kept.part.0.bak", "kept.manifest.xml.orig", "older.manifest.xml", "older.part.0"];
        foreach (var name in users)
        {
            await File.WriteAllTextAsync(Path.Combine(destination, name), UsersContent);
        }

        var parameters = bake.LinuxParameters(bake.SmallImage());
        parameters["bundle-destination"] = destination;
        parameters["bundle-prefix"] = "kept";

        var result = await bake.RunAsync(parameters);

        result.Outcome.Should().Be(RunOutcome.Failed);
        foreach (var name in users)
        {
            (await File.ReadAllTextAsync(Path.Combine(destination, name))).Should().Be(UsersContent, name);
        }
    }
}
