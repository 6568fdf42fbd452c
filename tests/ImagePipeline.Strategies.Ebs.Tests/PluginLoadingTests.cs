using ImagePipeline.Abstractions;
using ImagePipeline.Core.Plugins;
using ImagePipeline.LocalCloud;
using ImagePipeline.Testing;

namespace ImagePipeline.Strategies.Ebs.Tests;

public sealed class PluginLoadingTests(PipelineCloudFixture cloud) : IClassFixture<PipelineCloudFixture>
{
    [Fact]
    public async Task The_plugin_loaded_from_its_build_folder_in_its_own_load_context_bakes_an_image()
    {
        // The plugin's own build output, beside this test project's under artifacts/bin/.
        var pluginFolder = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "ImagePipeline.Strategies.Ebs", Path.GetFileName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))));
        var loaded = new PluginLoader().Load(null, [pluginFolder]).Should().ContainSingle().Subject;
        var entryPoint = loaded.EntryPoints.Should().ContainSingle().Subject;
        entryPoint.GetType().Assembly.Should().NotBeSameAs(typeof(EbsPlugin).Assembly, "the host loads it in its own context");

        await using var harness = new PipelineHarness(cloud.Endpoint, [entryPoint], LocalCloudAccounts.AccessKeyId, LocalCloudAccounts.SecretAccessKey) { TimeProvider = cloud.Time };
        var name = $"loaded-{Guid.NewGuid():N}";
        var result = await harness.RunAsync("RegisterImage", new Dictionary<string, string>
        {
            ["backing-store"] = "ebs",
            ["instance-id"] = cloud.NewInstance(),
            ["ami-name"] = name,
            ["poll-delay"] = "0.2",
        });

        result.Outcome.Should().Be(RunOutcome.Succeeded, harness.Logs.Text);
        (await cloud.ImagesNamedAsync(name)).Should().ContainSingle();
    }
}
