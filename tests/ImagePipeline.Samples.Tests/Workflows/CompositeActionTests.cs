using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ImagePipeline.Samples.Tests.Packages;
using ImagePipeline.Samples.Tests.Support;
using ImagePipeline.Testing;

namespace ImagePipeline.Samples.Tests.Workflows;

/// <summary>
/// The composite action (action.yml) run step by step with bash, as GitHub's runner runs it, from a workspace outside
/// the repository, baking against a local cloud; its install step installs ImagePipeline.Tool from the packages' temporary
/// feed (the nuget-source and version inputs).
/// </summary>
[Collection(PackageFeedCollection.Name)]
public sealed partial class CompositeActionTests(HostProcessCloudFixture cloud, PackageFeed feed) : IClassFixture<HostProcessCloudFixture>, IDisposable
{
    private const string Passphrase = "action-passphrase-4Rk8";

    private const string InstallStep = "Install ImagePipeline.Tool";

    private const string SetupDotnetStep = "Set up .NET";

    private static readonly Dictionary<string, string> Skipped = new(StringComparer.Ordinal)
    {
        [SetupDotnetStep] = "a uses: step (actions/setup-dotnet); this machine has the .NET SDK",
    };

    private readonly TemporaryFolder _workspace = new("action");
    private readonly CompositeAction _action = new(RepositoryLayout.PathOf("action.yml"));

    [Fact]
    public async Task The_action_bakes_offline_and_exposes_image_id_image_ids_and_manifest_location()
    {
        var parameters = InstanceStoreBake.Parameters(_workspace.Path, cloud.Endpoint);
        InstanceStoreBake.EncryptKey(parameters, Passphrase);
        var with = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["cloud"] = "local",
            ["backing-store"] = "instance-store",
            ["platform"] = "linux",
            ["region"] = parameters["region"],
            ["ami-name"] = parameters["ami-name"],
            ["bucket"] = parameters["bucket"],
            // Relative to the workspace, as a user's checkout path would be.
            ["image-file"] = Path.GetRelativePath(_workspace.Path, parameters["image-file"]),
            ["x509-cert-path"] = parameters["x509-cert-path"],
            ["x509-key-path"] = parameters["x509-key-path"],
            ["x509-key-passphrase"] = Passphrase,
            ["ec2-cert-path"] = parameters["ec2-cert-path"],
            ["account-id"] = parameters["account-id"],
            ["architecture"] = "x86_64",
            ["setup-dotnet"] = "false",
            // One argument per line; blank lines and surrounding spaces do not count.
            ["extra-args"] = $"--endpoint-url={parameters["endpoint-url"]}\n\n   --poll-delay=0.2  \n",
        };

        var run = await RunAsync(with);

        run.Succeeded.Should().BeTrue(run.Log);
        run.Skipped.Should().Equal(SetupDotnetStep);
        run.Steps.Select(step => step.Name).Should().Equal("Mask secrets", InstallStep, "Bake");

        var imageId = run.Outputs["image-id"];
        imageId.Should().MatchRegex("^ami-[0-9a-f]+$");
        JsonNode.Parse(run.Outputs["image-ids"])!.AsObject().Select(pair => (pair.Key, pair.Value!.GetValue<string>()))
            .Should().Equal(("us-east-1", imageId));
        run.Outputs["manifest-location"].Should().StartWith(parameters["bucket"] + "/").And.EndWith(".manifest.xml");
        run.Outputs["bucket"].Should().Be(parameters["bucket"]);
        cloud.OwnedImages().Should().ContainSingle(image => image.Name == parameters["ami-name"]).Which.ImageId.Should().Be(imageId);

        var summaryJson = run.Outputs["output-json"];
        summaryJson.Should().StartWith(Path.Combine(_workspace.Path, "runner-temp") + "/");
        JsonNode.Parse(File.ReadAllText(summaryJson))!["outputs"]!["image-id"]!.GetValue<string>().Should().Be(imageId);

        run.JobSummary.Should().StartWith("### ImagePipeline: instance-store/linux, succeeded");
        run.JobSummary.Should().Contain($"| image-id | `{imageId}` |");
    }

    [Fact]
    public async Task The_passphrase_is_masked_before_anything_prints_it_and_never_leaves_the_mask_command()
    {
        var parameters = InstanceStoreBake.Parameters(_workspace.Path, cloud.Endpoint);
        InstanceStoreBake.EncryptKey(parameters, Passphrase);
        var with = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["target"] = "CopyCertificates",
            ["cloud"] = "local",
            ["region"] = parameters["region"],
            ["ami-name"] = parameters["ami-name"],
            ["bucket"] = parameters["bucket"],
            ["image-file"] = parameters["image-file"],
            ["x509-cert-path"] = parameters["x509-cert-path"],
            ["x509-key-path"] = parameters["x509-key-path"],
            ["x509-key-passphrase"] = Passphrase,
            ["ec2-cert-path"] = parameters["ec2-cert-path"],
            ["account-id"] = parameters["account-id"],
            ["setup-dotnet"] = "false",
            ["extra-args"] = $"--endpoint-url={parameters["endpoint-url"]}",
        };

        var run = await RunAsync(with);

        run.Succeeded.Should().BeTrue(run.Log);
        run.Steps[0].Output.Split('\n').Should().Equal($"::add-mask::{Passphrase}", "");
        run.Steps.SelectMany(step => step.Output.Split('\n'))
            .Where(line => line.Contains(Passphrase, StringComparison.Ordinal))
            .Should().OnlyContain(line => line == $"::add-mask::{Passphrase}");
        run.Steps.SelectMany(step => step.Outputs.Values).Should().NotContain(value => value.Contains(Passphrase, StringComparison.Ordinal));
        run.JobSummary.Should().NotContain(Passphrase);
    }

    [Fact]
    public async Task A_force_deregister_value_that_is_not_a_boolean_stops_with_an_error_annotation()
    {
        var run = await RunAsync(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["force-deregister"] = "yes",
            ["setup-dotnet"] = "false",
        });

        run.Succeeded.Should().BeFalse();
        run.Steps[^1].Name.Should().Be("Bake");
        run.Steps[^1].ExitCode.Should().Be(2);
        run.Steps[^1].Output.Trim().Should().Be("::error title=ImagePipeline::force-deregister must be true or false, not 'yes'.");
    }

    [Fact]
    public async Task Every_option_the_action_passes_is_one_the_tool_knows()
    {
        var bake = _action.Steps.Single(step => step.Text("id") == "bake");
        var script = bake.Text("run")!;
        var options = AddedOption().Matches(script).Select(match => match.Groups["name"].Value)
            .Concat(LiteralOption().Matches(script).Select(match => match.Groups["name"].Value))
            .Concat(bake.Scalars("env").Keys.Where(name => name.StartsWith("IMAGEPIPELINE_", StringComparison.Ordinal))
                .Select(name => name["IMAGEPIPELINE_".Length..].ToLowerInvariant().Replace('_', '-')))
            .Distinct()
            .ToList();
        options.Should().Contain(["cloud", "output-json", "ami-name", "copy-to-regions", "force-deregister", "x509-key-passphrase"]);

        var help = await HostRun.RunAsync(_workspace.Path, ["--help"], builtInPlugins: RepositoryLayout.BuiltInPlugins);

        help.ExitCode.Should().Be(0, help.Error);
        foreach (var option in options)
        {
            help.Output.Should().Contain($"--{option} ", $"action.yml passes --{option}");
        }
    }

    [Fact]
    public void Every_input_of_the_action_reaches_a_step()
    {
        var used = _action.Steps.SelectMany(step => step.Scalars("env").Values.Concat(step.Scalars("with").Values).Append(step.Text("if") ?? ""))
            .SelectMany(value => InputReference().Matches(value).Select(match => match.Groups["name"].Value))
            .ToHashSet(StringComparer.Ordinal);

        _action.InputNames.Except(used).Should().BeEmpty("an input no step reads would be silently ignored");
    }

    private Task<CompositeActionRun> RunAsync(IReadOnlyDictionary<string, string> with)
    {
        var temp = Directory.CreateDirectory(Path.Combine(_workspace.Path, "runner-temp")).FullName;
        var runner = new SimulatedRunner(_workspace.Path, temp);
        runner.Environment["NUGET_PACKAGES"] = feed.PackagesFolder;
        var inputs = new Dictionary<string, string>(with, StringComparer.Ordinal) { ["nuget-source"] = feed.Feed, ["version"] = feed.Version };
        return _action.RunAsync(inputs, runner, Skipped);
    }

    public void Dispose() => _workspace.Dispose();

    [GeneratedRegex(@"^\s*add (?<name>[a-z0-9-]+) ", RegexOptions.Multiline)]
    private static partial Regex AddedOption();

    [GeneratedRegex(@"--(?<name>[a-z][a-z0-9-]*)=")]
    private static partial Regex LiteralOption();

    [GeneratedRegex(@"inputs\.(?<name>[a-z0-9-]+)")]
    private static partial Regex InputReference();
}
