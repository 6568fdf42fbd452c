using System.Text.Json.Nodes;
using ImagePipeline.Abstractions;
using ImagePipeline.Core.Sessions;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>Issue 12 item 7, for the bundle step: the bundle folder and prefix read back from a record are checked before its cleanup deletes there.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class RecordedBundleFolderTests(InstanceStoreCloudFixture cloud)
{
    [Theory]
    [InlineData("instance-store.bundle-directory", "victim folder")]
    [InlineData("instance-store.bundle-prefix", "../victim/prefix")]
    public async Task A_record_edited_to_delete_bundle_files_outside_the_run_makes_resume_refuse_and_deletes_nothing(string key, string edit)
    {
        await using var bake = new Bake(cloud);
        var parameters = bake.LinuxParameters(bake.SmallImage());
        var bundled = await bake.RunAsync(parameters, "BundleVolume");
        bundled.Outcome.Should().Be(RunOutcome.Succeeded, bundled.Failure?.Message);
        var recordPath = Path.Combine(bake.Harness.RunsDirectory, bundled.RunId + ".json");
        var record = JsonNode.Parse(File.ReadAllText(recordPath))!;
        var prefix = record["state"]!["instance-store.bundle-prefix"]!.GetValue<string>();
        var victim = Directory.CreateDirectory(Path.Combine(bake.Directory, "victim")).FullName;
        var canary = Path.Combine(victim, (key.EndsWith("prefix", StringComparison.Ordinal) ? "prefix" : prefix) + ".part.0");
        await File.WriteAllTextAsync(canary, "the user's file, named like a part");
        record["state"]![key] = key.EndsWith("directory", StringComparison.Ordinal) ? victim : edit;
        File.WriteAllText(recordPath, record.ToJsonString());

        var resume = () => bake.RunAsync(parameters, "UploadBundle", resume: bundled.RunId);

        (await resume.Should().ThrowAsync<ValidationFailedException>())
            .Which.Errors.Should().Contain(error => error.Contains("the record was edited", StringComparison.Ordinal) && error.Contains("nothing is deleted", StringComparison.Ordinal));
        File.Exists(canary).Should().BeTrue();
    }
}
