using System.Text.RegularExpressions;
using ImagePipeline.Samples.Tests.Support;

namespace ImagePipeline.Samples.Tests.Packages;

/// <summary>
/// The packages as a new user meets them, from folders outside the repository with the temporary feed as the only
/// source of ImagePipeline: the installed tool, a Nuke-style build project named _build, a Cake script with #addin, and a
/// plugin built against the ImagePipeline.Abstractions package that adds a strategy.
/// </summary>
[Collection(PackageFeedCollection.Name)]
public sealed partial class InstalledPackagesTests(PackageFeed feed) : IDisposable
{
    private static readonly TimeSpan Slow = TimeSpan.FromMinutes(5);
    private readonly TemporaryFolder _home = new("consumer");

    [Theory]
    [InlineData("ImagePipeline")]
    [InlineData("ImagePipeline.Tool")]
    public void The_package_ships_the_volume_bundler_for_both_instance_architectures_beside_the_host_and_not_inside_a_plugin(string package)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(Path.Combine(feed.Feed, $"{package}.{feed.Version}.nupkg"));
        var names = zip.Entries.Select(entry => entry.FullName).ToList();

        foreach (var runtime in new[] { "linux-x64", "linux-arm64" })
        {
            names.Should().ContainSingle(name => name.EndsWith($"agents/{runtime}/imagepipeline-volume-bundler", StringComparison.Ordinal) && !name.Contains("plugins/", StringComparison.Ordinal));
        }

        names.Should().NotContain(name => name.Contains("plugins/", StringComparison.Ordinal) && name.Contains("/agents/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_installed_tool_prints_the_packages_version_and_bakes_offline_in_an_empty_folder()
    {
        var tool = await InstallToolAsync();
        var work = Directory.CreateDirectory(Path.Combine(_home.Path, "empty")).FullName;

        var version = await ChildProcess.RunAsync(tool, ["--version"], work, feed.Environment, Slow);
        var bake = await ChildProcess.RunAsync(tool, ["RegisterImage"], work, feed.Environment, Slow);

        version.ExitCode.Should().Be(0, version.Output);
        version.Output.Trim().Should().Be(feed.Version);
        bake.ExitCode.Should().Be(0, bake.Output);
        ImageId().Match(bake.Output).Success.Should().BeTrue(bake.Output);
        bake.Output.Should().Contain("succeeded in the LOCAL CLOUD");
    }

    [Fact]
    public async Task The_tool_does_not_write_the_demo_material_for_a_plan_but_writes_the_plan_as_json()
    {
        var tool = await InstallToolAsync();
        var work = Directory.CreateDirectory(Path.Combine(_home.Path, "plan")).FullName;

        var plan = await ChildProcess.RunAsync(tool, ["RegisterImage", "--plan", "--output-json", "plan.json"], work, feed.Environment, Slow);

        plan.ExitCode.Should().Be(0, plan.Output);
        Directory.EnumerateFiles(work, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Should().Equal("plan.json");
        File.ReadAllText(Path.Combine(work, "plan.json")).Should().Contain("\"strategy\": \"instance-store/linux\"").And.Contain("InstanceStore.Steps.RegisterBundledImage");
    }

    [Fact]
    public async Task A_build_project_named_build_with_a_foreign_nuke_parameters_file_gets_an_image_id_from_the_typed_api()
    {
        var project = Directory.CreateDirectory(Path.Combine(_home.Path, "build")).FullName;
        feed.WriteNuGetConfig(_home.Path);
        File.WriteAllText(Path.Combine(_home.Path, ".nuke", "parameters.json"), """{ "$schema": "./build.schema.json", "Solution": "x.sln" }""");
        File.WriteAllText(Path.Combine(project, "_build.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ImagePipeline" Version="{feed.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Program.cs"), """
            using ImagePipeline;
            using ImagePipeline.Abstractions;

            var result = ImagePipelineTasks.RegisterImage(s => s
                .SetBackingStore(BackingStore.InstanceStore)
                .SetAmiName("nuke-style-{timestamp}"));
            Console.WriteLine($"typed result: {result.ImageId} in {result.Region}, run {result.RunId}, cloud {result.Cloud}, manifest {result.ManifestLocation}");

            try
            {
                ImagePipelineTasks.RegisterImage(s => s.SetAmiName("x"));
            }
            catch (ImagePipelineException exception)
            {
                Console.WriteLine($"typed failure: {exception.Kind} {exception.ExitCode}");
            }
            """);

        var run = await ChildProcess.RunAsync("dotnet", ["run", "--project", project], _home.Path, feed.Environment, Slow);

        run.ExitCode.Should().Be(0, run.Output);
        run.Output.Should().MatchRegex(@"typed result: ami-[0-9a-f]+ in us-east-1, run \S+, cloud Local, manifest imagepipeline-demo-bundles/\S+\.manifest\.xml");
        run.Output.Should().Contain("typed failure: InvalidInput 2");
        run.Output.Should().NotContain("Unknown parameter");
    }

    [Fact]
    public async Task The_cake_sample_bakes_offline_from_the_package_with_the_teams_own_configuration_argument_and_no_load_warning()
    {
        feed.WriteNuGetConfig(_home.Path);
        var script = File.ReadAllText(RepositoryLayout.PathOf("samples/cake/build.cake"));
        File.WriteAllText(Path.Combine(_home.Path, "build.cake"), AddinVersion().Replace(script, $"version={feed.Version}&"));
        CopyToolManifest();

        var cake = await ChildProcess.RunAsync("dotnet", ["cake", "build.cake", "--configuration=Release"], _home.Path, feed.Environment, Slow);

        cake.ExitCode.Should().Be(0, cake.Output);
        cake.Output.Should().MatchRegex(@"Image ami-[0-9a-f]+ registered \(run \S+, Release build\)");
        cake.Output.Should().NotContain("Could not load");
        cake.Output.Should().NotContain("Unknown parameter");
    }

    [Fact]
    public async Task A_plugin_built_against_the_abstractions_package_passes_its_own_tests_written_with_the_testing_package()
    {
        await BuildAddedStrategyPluginAsync();
        var tests = Directory.CreateDirectory(Path.Combine(_home.Path, "GatedPlugin.Tests")).FullName;
        File.WriteAllText(Path.Combine(tests, "GatedPlugin.Tests.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <IsPackable>false</IsPackable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ImagePipeline.Testing" Version="{feed.Version}" />
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.0.1" />
                <PackageReference Include="xunit" Version="2.9.3" />
                <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" />
                <ProjectReference Include="../GatedPlugin/GatedPlugin.csproj" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(tests, "GatedStrategyTests.cs"), """
            using ImagePipeline.Abstractions;
            using ImagePipeline.LocalCloud;
            using ImagePipeline.Testing;
            using Xunit;

            public sealed class GatedStrategyTests
            {
                [Fact]
                public async Task The_gated_strategy_runs_against_the_local_cloud()
                {
                    var data = Directory.CreateTempSubdirectory("gated-cloud-").FullName;
                    await using var cloud = await LocalCloudServer.StartAsync(new LocalCloudOptions { DataDirectory = data });
                    await using var harness = new PipelineHarness(cloud.Endpoint, [new GatedPlugin.Plugin()], LocalCloudAccounts.AccessKeyId, LocalCloudAccounts.SecretAccessKey);

                    var result = await harness.RunAsync("RegisterImage", new Dictionary<string, string>
                    {
                        ["backing-store"] = "ebs",
                        ["strategy"] = "gated",
                        ["instance-id"] = "i-0123456789abcdef0",
                        ["ami-name"] = "gated-image",
                    });

                    Assert.Equal(RunOutcome.Succeeded, result.Outcome);
                    Assert.Contains(result.Targets, target => target.Target == PipelineTarget.BundleVolume);
                }
            }
            """);

        var test = await ChildProcess.RunAsync("dotnet", ["test", tests, "-nologo"], _home.Path, feed.Environment, Slow);

        test.ExitCode.Should().Be(0, test.Output);
        test.Output.Should().MatchRegex(@"Passed!\s+- Failed:\s+0, Passed:\s+1");
    }

    [Fact]
    public async Task A_plugin_built_against_the_abstractions_package_adds_a_named_strategy_that_the_installed_tool_lists_plans_and_refuses_twice()
    {
        var tool = await InstallToolAsync();
        var plugin = await BuildAddedStrategyPluginAsync();
        var work = Directory.CreateDirectory(Path.Combine(_home.Path, "use")).FullName;

        var help = await ChildProcess.RunAsync(tool, ["--help", "--plugin", plugin, "--backing-store", "ebs"], work, feed.Environment, Slow);
        var plan = await ChildProcess.RunAsync(tool, ["RegisterImage", "--plan", "--plugin", plugin, "--backing-store", "ebs", "--strategy", "gated", "--instance-id", "i-0123456789abcdef0", "--ami-name", "gated-{date}"], work, feed.Environment, Slow);
        var unknown = await ChildProcess.RunAsync(tool, ["RegisterImage", "--plan", "--plugin", plugin, "--backing-store", "ebs", "--strategy", "gatd"], work, feed.Environment, Slow);
        var copy = CopyPluginFolder(plugin);
        var twice = await ChildProcess.RunAsync(tool, ["--help", "--plugin", plugin, "--plugin", copy], work, feed.Environment, Slow);
        var notAPlugin = await ChildProcess.RunAsync(tool, ["--help", "--plugin", work], work, feed.Environment, Slow);

        help.ExitCode.Should().Be(0, help.Output);
        help.Output.Should().Contain("ebs/linux/gated").And.Contain("--gate-tag").And.NotContain("instance-store/linux ");
        plan.ExitCode.Should().Be(0, plan.Output);
        plan.Output.Should().Contain("with strategy ebs/linux/gated").And.Contain("GatedPlugin.CaptureGatedInstance");
        unknown.ExitCode.Should().Be(2, unknown.Output);
        ErrorLines(unknown.Output).Should().ContainSingle().Which.Should().Contain("Unknown --strategy gatd for ebs/linux").And.Contain("ebs/linux/gated");
        twice.ExitCode.Should().Be(2, twice.Output);
        ErrorLines(twice.Output).Should().ContainSingle().Which.Should().Contain("Two plugins implement strategy ebs/linux/gated");
        notAPlugin.ExitCode.Should().Be(2, notAPlugin.Output);
        ErrorLines(notAPlugin.Output).Should().ContainSingle().Which.Should().Contain("holds no plugin assembly");
    }

    public void Dispose() => _home.Dispose();

    private async Task<string> InstallToolAsync()
    {
        var toolPath = Path.Combine(_home.Path, "tool");
        var install = await ChildProcess.RunAsync(
            "dotnet", ["tool", "install", "--tool-path", toolPath, "ImagePipeline.Tool", "--version", feed.Version, "--add-source", feed.Feed], _home.Path, feed.Environment, Slow);
        install.ExitCode.Should().Be(0, install.Output);
        return Path.Combine(toolPath, "imagepipeline");
    }

    /// <summary>A plugin project outside the repository, referencing only the ImagePipeline.Abstractions package, that adds ebs/linux/gated.</summary>
    private async Task<string> BuildAddedStrategyPluginAsync()
    {
        var project = Directory.CreateDirectory(Path.Combine(_home.Path, "GatedPlugin")).FullName;
        feed.WriteNuGetConfig(_home.Path);
        File.WriteAllText(Path.Combine(project, "GatedPlugin.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <EnableDynamicLoading>true</EnableDynamicLoading>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ImagePipeline.Abstractions" Version="{feed.Version}" PrivateAssets="all" ExcludeAssets="runtime" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "GatedPlugin.cs"), """
            using ImagePipeline.Abstractions;
            using Microsoft.Extensions.DependencyInjection;

            namespace GatedPlugin;

            public sealed class Plugin : IPipelinePlugin
            {
                public void ConfigureServices(IServiceCollection services) => services.AddImageStrategy<GatedStrategy>();
            }

            public sealed class GatedStrategy : IImageStrategy
            {
                public static readonly Parameter<string> GateTag = new("gate-tag", "The tag an instance must carry to be captured.") { Default = "approved" };

                public StrategyKey Key => new(BackingStore.Ebs, Platform.Linux) { Variant = "gated" };

                public string Description => "EBS from an instance that carries the gate tag (added beside the built-in ebs/linux).";

                public IReadOnlyList<ParameterDefinition> Parameters { get; } = [CommonParameters.InstanceId, CommonParameters.ImageName, GateTag];

                public TargetPlan Plan(PipelineTarget target, IParameterValues parameters) => target == PipelineTarget.BundleVolume
                    ? TargetPlan.Run<CaptureGatedInstance>()
                    : TargetPlan.NotApplicable("the sample only captures");
            }

            public sealed class CaptureGatedInstance : IPipelineStep
            {
                public Task RunAsync(StepContext context, CancellationToken cancellationToken) => Task.CompletedTask;

                public Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken) => Task.FromResult(CleanupOutcome.NothingToUndo);
            }
            """);
        var output = Path.Combine(_home.Path, "plugins", "GatedPlugin");
        var build = await ChildProcess.RunAsync("dotnet", ["build", project, "-o", output, "-nologo"], _home.Path, feed.Environment, Slow);
        build.ExitCode.Should().Be(0, build.Output);
        return output;
    }

    private string CopyPluginFolder(string plugin)
    {
        var copy = Path.Combine(_home.Path, "plugins", "GatedPluginCopy");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.EnumerateFiles(plugin))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }

    private void CopyToolManifest()
    {
        var config = Directory.CreateDirectory(Path.Combine(_home.Path, ".config")).FullName;
        File.Copy(RepositoryLayout.PathOf(".config/dotnet-tools.json"), Path.Combine(config, "dotnet-tools.json"));
    }

    private static IEnumerable<string> ErrorLines(string output) => output.Split('\n').Where(line => line.StartsWith("error: ", StringComparison.Ordinal));

    [GeneratedRegex(@"\bami-[0-9a-f]{8,}\b")]
    private static partial Regex ImageId();

    [GeneratedRegex(@"version=[^&]+&")]
    private static partial Regex AddinVersion();
}
