using ImagePipeline.Abstractions;
using ImagePipeline.Core.Parameters;
using ImagePipeline.Core.Plugins;
using ImagePipeline.Core.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagePipeline.Core.Tests.Plugins;

public sealed class PluginLoaderTests
{
    [Fact]
    public async Task A_plugin_built_separately_is_loaded_from_disk_and_plans_its_targets()
    {
        var plugins = new PluginLoader().Load(null, [TestPluginBuilds.AssemblyOf("SamplePlugin")]);

        await using var session = PipelineSession.Create(plugins.SelectMany(plugin => plugin.EntryPoints), HostParameters.All, NoServices);
        var resolved = session.ResolveParameters(new ParameterInputs(CommandLine.Parse(["--platform", "windows", "--marker-folder", "/tmp/x"]), new Dictionary<string, string>(), null, null));
        var plan = session.Plan("RegisterImage", resolved);

        plugins.Should().ContainSingle().Which.Name.Should().Be("SamplePlugin");
        plan.Key.Should().Be(new StrategyKey(BackingStore.InstanceStore, Platform.Windows));
        plan.Strategy.GetType().FullName.Should().Be("SamplePlugin.MarkerStrategy");
        plan.Targets.Select(target => target.Target).Should().Equal(PipelineTargetOrder.All);
        plan.Targets[0].Implementation.NotApplicableReason.Should().Be("no --source-ami or --source-ami-filter", "the host plans LaunchInstance itself");
        plan.Targets[1].Implementation.NotApplicableReason.Should().Be("nothing to run: no --provision-script or --provision-file");
        plan.Targets[3].Implementation.NotApplicableReason.Should().Be("the sample plugin has no certificates");
        plan.Targets[2].Implementation.Steps.Should().ContainSingle().Which.FullName.Should().Be("SamplePlugin.WriteMarkerStep");
        session.Catalog.Find("marker-folder").Should().NotBeNull("a plugin's parameters join the catalog");
    }

    [Fact]
    public void The_plugin_shares_the_contract_with_the_host_and_lives_in_its_own_load_context()
    {
        var plugin = new PluginLoader().Load(null, [TestPluginBuilds.AssemblyOf("SamplePlugin")]).Single();

        var entryPoint = plugin.EntryPoints.Single();
        entryPoint.Should().BeAssignableTo<IPipelinePlugin>("the contract type is the host's own");
        System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(entryPoint.GetType().Assembly).Should().BeOfType<PluginLoadContext>();
    }

    [Fact]
    public async Task Two_plugins_claiming_one_strategy_are_refused_naming_both_assemblies()
    {
        var plugins = new PluginLoader().Load(null, [TestPluginBuilds.AssemblyOf("SamplePlugin"), TestPluginBuilds.AssemblyOf("DuplicatePlugin")]);

        var create = () => PipelineSession.Create(plugins.SelectMany(plugin => plugin.EntryPoints), HostParameters.All, NoServices);

        var message = create.Should().Throw<PluginLoadException>().Which.Message;
        message.Should().Contain("instance-store/windows").And.Contain("SamplePlugin.dll").And.Contain("DuplicatePlugin.dll");
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_plugin_given_with_the_plugin_option_replaces_a_built_in_strategy_of_the_same_key_with_a_notice()
    {
        // The sample plays the built-in (it sits in the plugins folder); the duplicate comes with --plugin.
        var pluginsFolder = Directory.CreateTempSubdirectory("imagepipeline-builtins-").FullName;
        try
        {
            var sampleFolder = Path.GetDirectoryName(TestPluginBuilds.AssemblyOf("SamplePlugin"))!;
            var copy = Directory.CreateDirectory(Path.Combine(pluginsFolder, "SamplePlugin")).FullName;
            foreach (var file in Directory.EnumerateFiles(sampleFolder))
            {
                File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            }

            var plugins = new PluginLoader().Load(pluginsFolder, [TestPluginBuilds.AssemblyOf("DuplicatePlugin")]);
            await using var session = PipelineSession.Create(
                plugins.SelectMany(plugin => plugin.EntryPoints),
                HostParameters.All,
                NoServices,
                plugins.Where(plugin => plugin.IsBuiltIn).Select(plugin => plugin.AssemblyPath).ToHashSet());

            plugins.Single(plugin => plugin.Name == "SamplePlugin").IsBuiltIn.Should().BeTrue();
            session.Strategies.Get(new StrategyKey(BackingStore.InstanceStore, Platform.Windows)).GetType().FullName.Should().Be("DuplicatePlugin.SameKeyStrategy");
            session.Strategies.Notices.Should().ContainSingle().Which.Should()
                .Contain("instance-store/windows: using DuplicatePlugin.SameKeyStrategy in DuplicatePlugin.dll (--plugin) instead of the built-in SamplePlugin.MarkerStrategy");
        }
        finally
        {
            Directory.Delete(pluginsFolder, recursive: true);
        }
    }

    [Fact]
    public void A_plugin_built_against_another_contract_version_is_refused_with_the_version_it_needs()
    {
        var load = () => new PluginLoader().Load(null, [TestPluginBuilds.AssemblyOf("FutureContractPlugin")]);

        load.Should().Throw<PluginLoadException>().Which.Message.Should()
            .Contain("FutureContractPlugin.dll was built against plugin contract 2.0")
            .And.Contain($"this host provides {PluginLoader.ContractVersion.ToString(2)}")
            .And.Contain("rebuild the plugin against ImagePipeline.Abstractions 1.x");
    }

    [Fact]
    public void A_plugin_path_that_is_a_pipe_or_a_device_is_refused_without_being_opened()
    {
        var fifo = Path.Combine(Directory.CreateTempSubdirectory("imagepipeline-plugin-").FullName, "plugin.dll");
        System.Diagnostics.Process.Start("mkfifo", [fifo])!.WaitForExit();

        var load = () => new PluginLoader().Load(null, [fifo, "/dev/zero"]);

        load.Should().Throw<PluginLoadException>().Which.Problems.Should().Equal(
            $"--plugin {fifo} is a named pipe; pass the path of a regular file.",
            "--plugin /dev/zero is a character device; pass the path of a regular file.");
        Directory.Delete(Path.GetDirectoryName(fifo)!, recursive: true);
    }

    [Fact]
    public void A_plugin_path_that_does_not_exist_and_an_assembly_that_is_not_a_plugin_are_both_reported()
    {
        var notAPlugin = typeof(FactAttribute).Assembly.Location;

        var load = () => new PluginLoader().Load(null, ["/no/such/plugin.dll", notAPlugin]);

        var problems = load.Should().Throw<PluginLoadException>().Which.Problems;
        problems.Should().HaveCount(2);
        problems.Should().Contain(problem => problem.Contains("--plugin /no/such/plugin.dll: no such file or folder", StringComparison.Ordinal));
        problems.Should().Contain(problem => problem.Contains("is not an ImagePipeline plugin", StringComparison.Ordinal));
    }

    [Fact]
    public void A_plugin_folder_is_searched_for_the_assembly_with_a_deps_file()
    {
        var folder = Path.GetDirectoryName(TestPluginBuilds.AssemblyOf("SamplePlugin"))!;

        var plugins = new PluginLoader().Load(null, [folder]);

        plugins.Should().ContainSingle().Which.Name.Should().Be("SamplePlugin");
    }

    private static void NoServices(IServiceCollection services)
    {
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
    }
}
