using System.Text.Json.Nodes;
using ImagePipeline.LocalCloud.Faults;
using ImagePipeline.Samples.Tests.Support;
using ImagePipeline.Testing;

namespace ImagePipeline.Samples.Tests.Output;

/// <summary>The host inside GitHub Actions (GITHUB_ACTIONS=true): workflow commands on stdout, step outputs and the job summary in the runner's files.</summary>
public sealed class GitHubActionsOutputTests(HostProcessCloudFixture cloud) : IClassFixture<HostProcessCloudFixture>, IDisposable
{
    private const string Passphrase = "samples-passphrase-7Qz9";

    private readonly TemporaryFolder _root = new("github");

    private string OutputFile => _root.File("github-output");

    private string SummaryFile => _root.File("step-summary.md");

    private Dictionary<string, string> GitHubVariables => new(StringComparer.Ordinal)
    {
        ["GITHUB_ACTIONS"] = "true",
        ["GITHUB_OUTPUT"] = OutputFile,
        ["GITHUB_STEP_SUMMARY"] = SummaryFile,
    };

    [Fact]
    public async Task A_bake_in_actions_groups_each_target_and_writes_outputs_and_summary()
    {
        var parameters = InstanceStoreBake.Parameters(_root.Path, cloud.Endpoint);
        parameters["output-json"] = _root.File("summary.json");

        var run = await HostRun.RunAsync(_root.Path, InstanceStoreBake.CommandLine("RegisterImage", parameters), GitHubVariables, RepositoryLayout.BuiltInPlugins);

        run.ExitCode.Should().Be(0, run.Output + run.Error);
        var lines = run.OutputLines.ToList();
        lines.Where(line => line.StartsWith("::group::", StringComparison.Ordinal)).Should().Equal(
            "::group::LaunchInstance", "::group::ProvisionInstance", "::group::PrepareBucket", "::group::CopyCertificates", "::group::BundleVolume", "::group::UploadBundle", "::group::RegisterImage");
        lines.Count(line => line == "::endgroup::").Should().Be(7, "every group is closed");
        lines.Should().NotContain(line => line.StartsWith("::error", StringComparison.Ordinal));

        var outputs = GitHubOutputFile.Read(OutputFile);
        var imageId = outputs["image-id"];
        imageId.Should().StartWith("ami-");
        JsonNode.Parse(outputs["image-ids"])!["us-east-1"]!.GetValue<string>().Should().Be(imageId);
        outputs["manifest-location"].Should().StartWith(parameters["bucket"] + "/").And.EndWith(".manifest.xml");
        outputs["bucket"].Should().Be(parameters["bucket"]);
        cloud.OwnedImages().Should().ContainSingle(image => image.Name == parameters["ami-name"]).Which.ImageId.Should().Be(imageId);

        var summary = File.ReadAllText(SummaryFile);
        summary.Should().StartWith("### ImagePipeline: instance-store/linux, succeeded");
        foreach (var target in new[] { "PrepareBucket", "CopyCertificates", "BundleVolume", "UploadBundle", "RegisterImage" })
        {
            summary.Should().Contain($"| {target} | succeeded |");
        }

        summary.Should().Contain("| LaunchInstance | not applicable |").And.Contain("| ProvisionInstance | not applicable |");

        summary.Should().Contain($"| image-id | `{imageId}` |");
        JsonNode.Parse(File.ReadAllText(parameters["output-json"]))!["outputs"]!["image-id"]!.GetValue<string>().Should().Be(imageId);
    }

    [Fact]
    public async Task A_secret_parameter_appears_only_in_the_add_mask_command()
    {
        var parameters = InstanceStoreBake.Parameters(_root.Path, cloud.Endpoint);
        InstanceStoreBake.EncryptKey(parameters, Passphrase);
        parameters["x509-key-passphrase"] = Passphrase;
        parameters["output-json"] = _root.File("summary.json");

        var run = await HostRun.RunAsync(_root.Path, InstanceStoreBake.CommandLine("RegisterImage", parameters), GitHubVariables, RepositoryLayout.BuiltInPlugins);

        run.ExitCode.Should().Be(0, run.Output + run.Error);
        run.OutputLines.Where(line => line.Contains(Passphrase, StringComparison.Ordinal)).Should().Equal($"::add-mask::{Passphrase}");
        run.OutputLines.First(line => line.StartsWith("::", StringComparison.Ordinal)).Should().Be($"::add-mask::{Passphrase}", "the mask comes before anything else GitHub prints");
        run.Error.Should().NotContain(Passphrase);
        File.ReadAllText(OutputFile).Should().NotContain(Passphrase);
        File.ReadAllText(SummaryFile).Should().NotContain(Passphrase);
        File.ReadAllText(parameters["output-json"]).Should().NotContain(Passphrase);
        Directory.EnumerateFiles(Path.Combine(_root.Path, ".nuke", "temp", "runs"), "*.json", SearchOption.AllDirectories)
            .Should().NotContain(file => File.ReadAllText(file).Contains(Passphrase, StringComparison.Ordinal), "run records never hold a secret");
    }

    [Fact]
    public async Task A_failing_target_is_annotated_as_an_error_named_after_it()
    {
        var parameters = InstanceStoreBake.Parameters(_root.Path, cloud.Endpoint);
        parameters["max-attempts"] = "1";
        cloud.Server.Faults.Add(new FaultRule { Service = "ec2", Operation = "RegisterImage", Kind = FaultKind.InternalError, MaxInjections = 1 });
        try
        {
            var run = await HostRun.RunAsync(_root.Path, InstanceStoreBake.CommandLine("RegisterImage", parameters), GitHubVariables, RepositoryLayout.BuiltInPlugins);

            run.ExitCode.Should().Be(1, run.Output + run.Error);
            run.OutputLines.Should().Contain(line => line.StartsWith("::error title=RegisterImage::", StringComparison.Ordinal));
            run.OutputLines.Count(line => line.StartsWith("::group::", StringComparison.Ordinal))
                .Should().Be(run.OutputLines.Count(line => line == "::endgroup::"), "a failed target still closes its group");
            File.ReadAllText(SummaryFile).Should().StartWith("### ImagePipeline: instance-store/linux, failed");
            GitHubOutputFile.Read(OutputFile).Should().NotContainKey("image-id");
            cloud.OwnedImages().Should().NotContain(image => image.Name == parameters["ami-name"]);
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }
    }

    [Fact]
    public async Task Bad_input_is_annotated_as_an_error_and_nothing_runs()
    {
        var parameters = InstanceStoreBake.Parameters(_root.Path, cloud.Endpoint);
        parameters["ami-name"] = "x";

        var run = await HostRun.RunAsync(_root.Path, InstanceStoreBake.CommandLine("RegisterImage", parameters), GitHubVariables, RepositoryLayout.BuiltInPlugins);

        run.ExitCode.Should().Be(2, run.Output + run.Error);
        run.OutputLines.Should().Contain(line => line.StartsWith("::error title=ImagePipeline::", StringComparison.Ordinal) && line.Contains("--ami-name", StringComparison.Ordinal));
        run.OutputLines.Should().NotContain(line => line.StartsWith("::group::", StringComparison.Ordinal));
        File.Exists(OutputFile).Should().BeFalse();
    }

    [Fact]
    public async Task Outside_actions_no_workflow_commands_are_printed()
    {
        var parameters = InstanceStoreBake.Parameters(_root.Path, cloud.Endpoint);
        var variables = GitHubVariables;
        variables.Remove("GITHUB_ACTIONS");

        var run = await HostRun.RunAsync(_root.Path, InstanceStoreBake.CommandLine("RegisterImage", parameters), variables, RepositoryLayout.BuiltInPlugins);

        run.ExitCode.Should().Be(0, run.Output + run.Error);
        run.OutputLines.Should().NotContain(line => line.StartsWith("::", StringComparison.Ordinal));
        File.Exists(OutputFile).Should().BeFalse();
        File.Exists(SummaryFile).Should().BeFalse();
    }

    public void Dispose() => _root.Dispose();
}
