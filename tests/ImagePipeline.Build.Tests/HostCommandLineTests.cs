using ImagePipeline.Host;
using ImagePipeline.Output;
using ImagePipeline.Core.Parameters;
using ImagePipeline.Core.Plugins;
using ImagePipeline.Core.Sessions;
using ImagePipeline.Aws;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagePipeline.Build.Tests;

public sealed class HostCommandLineTests : IDisposable
{
    private readonly HostSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Help_lists_every_target_with_its_dependencies_and_every_parameter_with_type_default_environment_and_secrecy()
    {
        var run = await _sandbox.RunAsync("--help");

        run.ExitCode.Should().Be(ExitCode.Success);
        run.Output.Should().Contain("RegisterImage").And.Contain("(after UploadBundle)").And.Contain("LocalCloud");
        run.Output.Should().Contain("--upload-concurrency <integer>").And.Contain("env: IMAGEPIPELINE_UPLOAD_CONCURRENCY");
        run.Output.Should().Contain("--cloud <local|aws>").And.Contain("default: local");
        run.Output.Should().Contain("--x509-key-passphrase <string>").And.Contain("secret: never printed or saved");
        run.Output.Should().Contain("instance-store/linux").And.Contain("ebs/windows");
        run.Output.Should().Contain("Exit codes: 0 success, 1 a target failed, 2 usage or validation error, 130 cancelled.");
    }

    [Fact]
    public async Task Plan_shows_each_target_with_its_plugin_class_or_why_it_does_not_apply_and_runs_nothing()
    {
        var run = await _sandbox.RunAsync("RegisterImage", "--plan", "--backing-store", "ebs", "--platform", "linux");

        run.ExitCode.Should().Be(ExitCode.Success, run.All);
        run.Output.Should().Contain("1. LaunchInstance    not applicable: no --source-ami or --source-ami-filter");
        run.Output.Should().Contain("2. ProvisionInstance not applicable: nothing to run: no --provision-script or --provision-file");
        run.Output.Should().Contain("3. PrepareBucket     not applicable: ");
        run.Output.Should().Contain("5. BundleVolume      ImagePipeline.Strategies.Ebs: ImagePipeline.Strategies.Ebs.");
        run.Output.Should().Contain("Nothing was executed");
        Directory.Exists(Path.Combine(_sandbox.Root, ".nuke", "temp", "localcloud")).Should().BeFalse("a plan starts no cloud");
        Directory.Exists(Path.Combine(_sandbox.Root, ".nuke", "temp", "runs")).Should().BeFalse("a plan saves no run");
    }

    [Fact]
    public async Task Plan_shows_the_launch_steps_from_the_host_when_the_run_starts_from_a_base_image()
    {
        var run = await _sandbox.RunAsync(
            "RegisterImage", "--plan", "--backing-store", "ebs", "--source-ami", "ami-0000000000000b001", "--ami-name", "web-{date}", "--output-json", "plan.json");

        run.ExitCode.Should().Be(ExitCode.Success, run.All);
        run.Output.Should().Contain("1. LaunchInstance    ImagePipeline.Instances: ImagePipeline.Instances.Launching.ResolveSourceImage → ImagePipeline.Instances.Launching.LaunchSourceInstance → ImagePipeline.Instances.Launching.WaitForInstanceStatus\n".ReplaceLineEndings(Environment.NewLine));
        run.Output.Should().Contain("5. BundleVolume      ImagePipeline.Strategies.Ebs: ");
        var plan = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(_sandbox.Root, "plan.json")))!;
        var launch = plan["targets"]![0]!;
        launch["target"]!.GetValue<string>().Should().Be("LaunchInstance");
        launch["steps"]!.AsArray().Select(step => step!.GetValue<string>()).Should().Equal(
            "ImagePipeline.Instances.Launching.ResolveSourceImage", "ImagePipeline.Instances.Launching.LaunchSourceInstance", "ImagePipeline.Instances.Launching.WaitForInstanceStatus");
        plan["targets"]![1]!["target"]!.GetValue<string>().Should().Be("ProvisionInstance");
    }

    [Fact]
    public async Task Plan_shows_how_an_instance_store_base_image_would_be_captured_as_well_since_it_reads_no_cloud()
    {
        var run = await _sandbox.RunAsync(
            "RegisterImage", "--plan", "--backing-store", "ebs", "--source-ami", "ami-0000000000000b003", "--ami-name", "web-{date}", "--output-json", "plan.json");

        run.ExitCode.Should().Be(ExitCode.Success, run.All);
        var lines = run.Output.Split('\n').Select(line => line.TrimEnd()).ToList();
        var bundle = lines.FindIndex(line => line.Contains("5. BundleVolume", StringComparison.Ordinal));
        lines[bundle].Should().Contain("CreateImageFromInstance");
        lines[bundle + 1].Should().StartWith("                       when the instance is instance-store-backed: ImagePipeline.Strategies.Ebs: ")
            .And.Contain("CreateRootVolume").And.Contain("CopyRootFileSystemToVolume").And.Contain("RegisterImageFromSnapshot");
        var launch = lines.FindIndex(line => line.Contains("1. LaunchInstance", StringComparison.Ordinal));
        lines[launch].Should().NotContain("WaitForSsh", "CreateImage logs in to nothing");
        lines[launch + 1].Should().Contain("when the instance is instance-store-backed: ").And.Contain("CreateTemporaryKeyPair").And.Contain("WaitForSsh");
        var prepare = lines.FindIndex(line => line.Contains("3. PrepareBucket", StringComparison.Ordinal));
        lines[prepare + 1].Should().Contain("4. CopyCertificates", "a target planned alike for both roots is shown once");
        var plan = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(_sandbox.Root, "plan.json")))!;
        var bundleJson = plan["targets"]![4]!;
        bundleJson["steps"]!.AsArray().Select(step => step!.GetValue<string>()).Should().Contain("ImagePipeline.Strategies.Ebs.Steps.CreateImageFromInstance");
        bundleJson["whenInstanceStoreRoot"]!["steps"]!.AsArray().Select(step => step!.GetValue<string>()).Should().Contain("ImagePipeline.Strategies.Ebs.Steps.RegisterImageFromSnapshot");
        plan["targets"]![2]!["whenInstanceStoreRoot"].Should().BeNull();
    }

    [Fact]
    public async Task A_base_image_and_an_instance_id_together_exit_2_with_one_error_naming_both()
    {
        var run = await _sandbox.RunAsync("RegisterImage", "--backing-store", "ebs", "--source-ami", "ami-0000000000000b001", "--instance-id", "i-0000000000000a001", "--ami-name", "web-{date}");

        run.ExitCode.Should().Be(ExitCode.UsageError, run.All);
        run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle()
            .Which.Should().Be("error: --source-ami launches a new instance to capture, but the run captures --instance-id i-0000000000000a001; give one or the other.");
    }

    [Fact]
    public async Task Help_lists_the_launch_and_provision_targets_first_with_the_launch_parameters()
    {
        var run = await _sandbox.RunAsync("--help");

        run.ExitCode.Should().Be(ExitCode.Success, run.All);
        var lines = run.Output.Split('\n');
        var targets = lines.SkipWhile(line => !line.StartsWith("Targets", StringComparison.Ordinal)).Skip(1).Take(7).Select(line => line.Trim().Split(' ')[0]);
        targets.Should().Equal("LaunchInstance", "ProvisionInstance", "PrepareBucket", "CopyCertificates", "BundleVolume", "UploadBundle", "RegisterImage");
        run.Output.Should().Contain("(after LaunchInstance)");
        foreach (var parameter in new[] { "--source-ami ", "--source-ami-filter ", "--source-ami-most-recent ", "--instance-type ", "--subnet-id ", "--iam-instance-profile ", "--user-data-file ", "--associate-public-ip ", "--instance-tags ", "--ssh-key-pair-name ", "--security-group-ids ", "--ssh-source-cidr ", "--keep-instance " })
        {
            run.Output.Should().Contain(parameter);
        }
    }

    [Fact]
    public async Task An_unknown_target_exits_2_with_the_valid_targets()
    {
        var run = await _sandbox.RunAsync("RegistreImage");

        run.ExitCode.Should().Be(ExitCode.UsageError);
        run.Error.Should().Contain("Unknown target 'RegistreImage' (did you mean RegisterImage?)").And.Contain("LaunchInstance, ProvisionInstance, PrepareBucket, CopyCertificates, BundleVolume, UploadBundle, RegisterImage");
        run.Error.Should().NotContain("   at ", "no stack trace without --verbose");
    }

    [Fact]
    public async Task An_unknown_parameter_exits_2_naming_it_and_the_closest_match()
    {
        var run = await _sandbox.RunAsync("RegisterImage", "--bukcet", "x");

        run.ExitCode.Should().Be(ExitCode.UsageError);
        run.Error.Should().Contain("Unknown parameter --bukcet; did you mean --bucket?");
    }

    [Fact]
    public async Task Every_parameter_error_is_reported_at_once()
    {
        var run = await _sandbox.RunAsync("RegisterImage", "--upload-concurrency", "0", "--architecture", "sparc", "--ami-name", "x", "--max-attempts", "lots");

        run.ExitCode.Should().Be(ExitCode.UsageError);
        run.Error.Should().Contain("--upload-concurrency").And.Contain("sparc").And.Contain("--ami-name").And.Contain("--max-attempts");
        run.Error.Split('\n').Count(line => line.StartsWith("error:", StringComparison.Ordinal)).Should().BeGreaterThanOrEqualTo(4);
    }

    [Fact]
    public async Task A_malformed_parameters_file_exits_2_naming_the_file()
    {
        File.WriteAllText(Path.Combine(_sandbox.Root, ".nuke", "parameters.json"), "{ \"bucket\": ");

        var run = await _sandbox.RunAsync("RegisterImage", "--plan");

        run.ExitCode.Should().Be(ExitCode.UsageError);
        run.Error.Should().Contain("parameters.json is not valid JSON");
    }

    [Fact]
    public async Task Parameters_come_from_the_profile_file_over_the_parameters_file()
    {
        File.WriteAllText(Path.Combine(_sandbox.Root, ".nuke", "parameters.json"), """{ "backing-store": "instance-store" }""");
        File.WriteAllText(Path.Combine(_sandbox.Root, ".nuke", "parameters.ebs.json"), """{ "backing-store": "ebs" }""");

        var run = await _sandbox.RunAsync("RegisterImage", "--plan", "--profile", "ebs");

        run.ExitCode.Should().Be(ExitCode.Success, run.All);
        run.Output.Should().Contain("with strategy ebs/linux");
    }

    [Fact]
    public async Task A_plugin_path_that_does_not_exist_exits_2()
    {
        var run = await _sandbox.RunAsync("RegisterImage", "--plan", "--plugin", "/no/such/plugin.dll");

        run.ExitCode.Should().Be(ExitCode.UsageError);
        run.Error.Should().Contain("--plugin /no/such/plugin.dll: no such file or folder");
    }

    [Fact]
    public async Task The_checked_in_build_schema_matches_the_parameter_definitions()
    {
        var plugins = new PluginLoader().Load(HostSandbox.PluginsFolder, []);
        await using var session = PipelineSession.Create(
            plugins.SelectMany(plugin => plugin.EntryPoints),
            BuildHost.Parameters,
            services => services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance).AddSingleton(typeof(ILogger<>), typeof(NullLogger<>)));

        var generated = BuildSchema.Generate(session.Catalog);
        var checkedIn = File.ReadAllText(Path.Combine(HostSandbox.RepositoryRoot, ".nuke", "build.schema.json"));

        checkedIn.Should().Be(generated, "the schema is generated from the parameter definitions: run ./build.sh GenerateSchema and commit .nuke/build.schema.json");
    }
}
