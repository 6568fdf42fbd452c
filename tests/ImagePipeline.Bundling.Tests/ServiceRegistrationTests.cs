using ImagePipeline.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace ImagePipeline.Bundling.Tests;

public sealed class ServiceRegistrationTests
{
    [Fact]
    public void AddImageBundler_provides_one_shared_ImageBundler()
    {
        using var provider = new ServiceCollection().AddLogging().AddImageBundler().BuildServiceProvider();

        var first = provider.GetRequiredService<IImageBundler>();

        first.Should().BeOfType<ImageBundler>();
        provider.GetRequiredService<IImageBundler>().Should().BeSameAs(first);
    }

    [Fact]
    public void AddImageBundler_keeps_a_bundler_the_host_registered_first()
    {
        var custom = new ImageBundler();
        using var provider = new ServiceCollection().AddSingleton<IImageBundler>(custom).AddImageBundler().BuildServiceProvider();

        provider.GetRequiredService<IImageBundler>().Should().BeSameAs(custom);
    }

    [Fact]
    public void AddImageBundler_provides_the_manifest_sealer_plugins_sign_keyless_bundles_with()
    {
        using var provider = new ServiceCollection().AddLogging().AddImageBundler().BuildServiceProvider();

        provider.GetRequiredService<IManifestSealer>().Should().BeOfType<ManifestSealer>();
    }
}
