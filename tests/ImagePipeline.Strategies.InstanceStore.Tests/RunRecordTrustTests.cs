using System.Text.Json.Nodes;
using ImagePipeline.Abstractions;
using ImagePipeline.Core.Engine;
using ImagePipeline.Core.Sessions;
using ImagePipeline.Core.Runs;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>Issue 12, items 5 and 7: a run record is held by one process at a time, and its paths are not trusted.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class RunRecordTrustTests(InstanceStoreCloudFixture cloud)
{
    private const string StagedKey = "instance-store.staged-certificate-directory";

    /// <summary>How each hostile edit points the staged-certificate folder at <c>victim</c>, a folder outside the run.</summary>
    public static TheoryData<string> HostileEdits => new()
    {
        "absolute path elsewhere",
        "../ traversal out of the work folder",
        "symbolic link inside the work folder pointing outside",
        "a file instead of a folder",
        "a relative path",
    };

    [Theory]
    [MemberData(nameof(HostileEdits))]
    public async Task A_record_edited_to_point_outside_the_run_makes_resume_refuse_and_deletes_nothing(string edit)
    {
        await using var bake = new Bake(cloud);
        var parameters = bake.LinuxParameters(bake.SmallImage());
        var copied = await bake.RunAsync(parameters, "CopyCertificates");
        copied.Outcome.Should().Be(RunOutcome.Succeeded);
        var work = bake.WorkDirectoryOf(copied.RunId);
        var victim = Directory.CreateDirectory(Path.Combine(bake.Directory, "victim")).FullName;
        var canary = Path.Combine(victim, "keep-me.txt");
        await File.WriteAllTextAsync(canary, "the user's file");
        var hostile = edit switch
        {
            "absolute path elsewhere" => victim,
            "../ traversal out of the work folder" => Path.Combine(work, "..", "..", "..", "..", Path.GetRelativePath(Path.GetDirectoryName(bake.Directory)!, victim)),
            "symbolic link inside the work folder pointing outside" => Path.Combine(Directory.CreateSymbolicLink(Path.Combine(work, "link"), victim).FullName, "x509-0000"),
            "a file instead of a folder" => WriteFile(Path.Combine(work, "not-a-folder")),
            _ => "victim",
        };
        EditRecord(bake, copied.RunId, hostile);

        var resume = () => bake.RunAsync(parameters, "BundleVolume", resume: copied.RunId);

        (await resume.Should().ThrowAsync<ValidationFailedException>())
            .Which.Errors.Should().ContainSingle().Which.Should().Contain("the record was edited").And.Contain("nothing is deleted");
        File.Exists(canary).Should().BeTrue();
        Directory.Exists(victim).Should().BeTrue();
        if (edit == "a file instead of a folder")
        {
            File.Exists(hostile).Should().BeTrue();
        }
    }

    [Fact]
    public async Task Resuming_a_run_another_process_is_running_is_refused_with_its_process_and_changes_nothing()
    {
        await using var bake = new Bake(cloud, new FailAfterTargetPlugin(PipelineTarget.UploadBundle));
        var parameters = bake.LinuxParameters(bake.SmallImage());
        parameters["keep-on-failure"] = "true";
        var failed = await bake.RunAsync(parameters);
        failed.Outcome.Should().Be(RunOutcome.Failed);
        var keys = bake.ObjectKeys;
        var record = File.ReadAllText(Path.Combine(bake.Harness.RunsDirectory, failed.RunId + ".json"));

        // The lock the live run's process would hold (an OS lock: the same call another process makes).
        using (new RunStore(bake.Harness.RunsDirectory, TimeProvider.System).TryLock(failed.RunId))
        {
            var resume = () => bake.RunAsync(parameters, resume: failed.RunId);

            (await resume.Should().ThrowAsync<PipelineException>())
                .Which.Message.Should().StartWith($"--resume: run {failed.RunId} is still running (process {Environment.ProcessId})");
        }

        bake.ObjectKeys.Should().BeEquivalentTo(keys);
        bake.BucketExists.Should().BeTrue();
        File.ReadAllText(Path.Combine(bake.Harness.RunsDirectory, failed.RunId + ".json")).Should().Be(record);
    }

    [Fact]
    public async Task A_key_staged_by_a_killed_run_is_swept_by_the_next_run_and_staged_again_when_that_run_resumes()
    {
        await using var bake = new Bake(cloud);
        var parameters = bake.LinuxParameters(bake.SmallImage());
        var copied = await bake.RunAsync(parameters, "CopyCertificates");
        copied.Outcome.Should().Be(RunOutcome.Succeeded);

        // What SIGKILL leaves: the staged folder on disk, the step completed, no cleanup.
        var staged = Path.Combine(bake.WorkDirectoryOf(copied.RunId), "secrets", "CopyCertificates.StageCertificatesLocally", "x509-deadbeef");
        Directory.CreateDirectory(staged);
        File.Copy(bake.Keys.KeyPath, Path.Combine(staged, "pk.pem"));
        File.Copy(bake.Keys.CertificatePath, Path.Combine(staged, "cert.pem"));
        EditRecord(bake, copied.RunId, staged);

        var other = await bake.RunAsync(parameters, "PrepareBucket");

        other.Outcome.Should().Be(RunOutcome.Succeeded);
        Directory.Exists(staged).Should().BeFalse();
        bake.Harness.Logs.Lines.Should().Contain(line => line.Contains("Removed staged secrets that a stopped run left behind", StringComparison.Ordinal));
        bake.Harness.LoadRun(copied.RunId)!.Steps["CopyCertificates/StageCertificatesLocally"].Should().Be(StepStatus.Undone);

        var resumed = await bake.RunAsync(parameters, "BundleVolume", resume: copied.RunId);

        resumed.Outcome.Should().Be(RunOutcome.Succeeded, resumed.Failure?.Message);
        bake.StagedKeyFolders().Should().BeEmpty();
    }

    private static string WriteFile(string path)
    {
        File.WriteAllText(path, "not a folder");
        return path;
    }

    private static void EditRecord(Bake bake, string runId, string stagedDirectory)
    {
        var path = Path.Combine(bake.Harness.RunsDirectory, runId + ".json");
        var record = JsonNode.Parse(File.ReadAllText(path))!;
        record["state"]![StagedKey] = stagedDirectory;
        File.WriteAllText(path, record.ToJsonString());
    }
}
