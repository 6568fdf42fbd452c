using ImagePipeline.Abstractions;
using ImagePipeline.Testing.Images;

namespace ImagePipeline.Bundling.Tests.Images;

/// <summary>
/// A block device passed as the image: its file length (st_size) is 0, so it must be sized by its capacity everywhere
/// the image size is read (preflight, bundling, bundling without the key).
/// </summary>
public sealed class BlockDeviceImageTests : IDisposable
{
    private const long DeviceSize = 6L * TestImages.MiB;

    private readonly BundleScenario _scenario = new();
    private readonly LoopDevice _device;

    public BlockDeviceImageTests()
    {
        TestImages.WriteRandom(_scenario.ImagePath, DeviceSize);
        _device = LoopDevice.Attach(_scenario.ImagePath, _scenario.Root);
    }

    public void Dispose()
    {
        _device.Dispose();
        _scenario.Dispose();
    }

    [Fact]
    public async Task A_block_device_image_passes_preflight_instead_of_being_called_empty()
    {
        var problems = await _scenario.Bundler.PreflightAsync(ImageRequest(), CancellationToken.None);

        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task Bundling_a_block_device_stores_its_whole_capacity_and_round_trips_byte_identical()
    {
        var result = await _scenario.BundleAsync(ImageRequest());

        result.ImageSize.Should().Be(DeviceSize);
        var restored = await UnbundleAsync(result.ManifestPath);
        new FileInfo(restored).Length.Should().Be(DeviceSize);
        await ImageAssertions.AssertSameContentAsync(_scenario.ImagePath, restored);
    }

    [Fact]
    public async Task Bundling_a_block_device_without_the_private_key_stores_its_whole_capacity()
    {
        var bundle = await new KeylessImageBundler().BundleAsync(
            new KeylessBundleRequest
            {
                ImagePath = _device.Path,
                UserCertificatePath = _scenario.Credentials.UserCertificatePath,
                Ec2CertificatePath = _scenario.Credentials.Ec2CertificatePath,
                Architecture = "x86_64",
                DestinationDirectory = _scenario.BundleDirectory,
            },
            progress: null,
            _ => { },
            CancellationToken.None);

        bundle.ImageSize.Should().Be(DeviceSize);
    }

    private BundleRequest ImageRequest() => _scenario.Request() with { ImagePath = _device.Path };

    private async Task<string> UnbundleAsync(string manifestPath)
    {
        var request = _scenario.KeyRequest(manifestPath);
        await _scenario.Bundler.VerifyAsync(request, null, CancellationToken.None);
        return await _scenario.Bundler.UnbundleAsync(request, _scenario.UnbundleDirectory, null, CancellationToken.None);
    }
}
