using ImagePipeline.Samples.Tests.Support;
using ImagePipeline.Testing;

namespace ImagePipeline.Samples.Tests.Cake;

/// <summary>
/// samples/cake/build.cake run with <c>dotnet cake</c> as a process, from the repository root, against a local cloud
/// started in this test process (Cake itself runs on Microsoft.NETCore.App only, so it does not host one).
/// </summary>
public sealed class CakeScriptTests(HostProcessCloudFixture cloud) : IClassFixture<HostProcessCloudFixture>, IDisposable
{
    private static readonly string[] Tasks = ["PrepareBucket", "CopyCertificates", "BundleVolume", "UploadBundle", "RegisterImage"];

    private readonly TemporaryFolder _root = new("cake");

    [Fact]
    public async Task The_cake_script_bakes_one_image_through_five_tasks_in_one_run()
    {
        var script = CopyScriptBesideThisBuild();
        var parameters = InstanceStoreBake.Parameters(_root.Path, cloud.Endpoint);

        var cake = await ChildProcess.RunAsync(
            "dotnet",
            ["cake", script, "--target=RegisterImage", .. parameters.Select(pair => $"--{pair.Key}={pair.Value}")],
            RepositoryLayout.Root,
            new Dictionary<string, string> { ["IMAGEPIPELINE_ROOT"] = _root.Path },
            TimeSpan.FromMinutes(4));

        cake.ExitCode.Should().Be(0, cake.Output);
        var image = cloud.OwnedImages().Should().ContainSingle("the five tasks make one image between them").Subject;
        image.Name.Should().Be(parameters["ami-name"]);
        cake.Output.Should().Contain($"Image {image.ImageId} registered");

        var lines = cake.Output.Split('\n');
        foreach (var task in Tasks)
        {
            lines.Should().Contain(line => line.TrimStart().StartsWith(task + " ", StringComparison.Ordinal) && line.Contains("Succeeded", StringComparison.Ordinal), $"Cake's summary lists {task}");
        }

        Directory.EnumerateFiles(Path.Combine(_root.Path, ".nuke", "temp", "runs"), "*.json")
            .Should().ContainSingle("each task resumes the run the first one started");
    }

    [Fact]
    public async Task A_target_that_fails_fails_its_cake_task_and_the_tasks_after_it_do_not_run()
    {
        var script = CopyScriptBesideThisBuild();
        var parameters = InstanceStoreBake.Parameters(_root.Path, cloud.Endpoint);
        parameters["ami-name"] = "x";

        var cake = await ChildProcess.RunAsync(
            "dotnet",
            ["cake", script, "--target=RegisterImage", .. parameters.Select(pair => $"--{pair.Key}={pair.Value}")],
            RepositoryLayout.Root,
            new Dictionary<string, string> { ["IMAGEPIPELINE_ROOT"] = _root.Path },
            TimeSpan.FromMinutes(4));

        cake.ExitCode.Should().NotBe(0, cake.Output);
        cake.Output.Should().Contain("--ami-name must be 3 to 128 characters long");
        cake.Output.Should().Contain("ImagePipeline PrepareBucket failed with exit code 2");
        cake.Output.Split('\n').Should().NotContain(line => line.TrimStart().StartsWith("RegisterImage ", StringComparison.Ordinal) && line.Contains("Succeeded", StringComparison.Ordinal));
        cloud.OwnedImages().Should().NotContain(image => image.Name == "x");
    }

    public void Dispose() => _root.Dispose();

    /// <summary>
    /// The script references the host as ../../artifacts/bin/_build/debug/_build.dll (the default build tree). This test
    /// may have been built into another tree (IMAGEPIPELINE_ARTIFACTS_SLOT), so it runs an unchanged copy of the script
    /// from its own root, where that relative path is a link to the host this test was built with.
    /// </summary>
    private string CopyScriptBesideThisBuild()
    {
        var script = Path.Combine(_root.Path, "samples", "cake", "build.cake");
        Directory.CreateDirectory(Path.GetDirectoryName(script)!);
        File.Copy(RepositoryLayout.PathOf("samples/cake/build.cake"), script);

        var hostLink = Path.Combine(_root.Path, "artifacts", "bin", "_build", "debug");
        Directory.CreateDirectory(Path.GetDirectoryName(hostLink)!);
        Directory.CreateSymbolicLink(hostLink, RepositoryLayout.HostFolder);
        return script;
    }
}
