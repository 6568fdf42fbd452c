using ImagePipeline.Bundling.Images;
using ImagePipeline.Bundling.Tar;
using ImagePipeline.Testing.Images;

namespace ImagePipeline.Bundling.Tests.Tar;

public sealed class TarFormatTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(8_589_934_591L)] // 077777777777: the largest octal value
    [InlineData(8_589_934_592L)] // 8 GiB: needs base-256
    [InlineData(10_995_116_277_760L)] // 10 TiB
    public void Sizes_and_offsets_survive_the_header_number_fields(long value)
    {
        var field = new byte[12];

        TarNumberField.Write(field, value);

        TarNumberField.Read(field).Should().Be(value);
        if (value > 8_589_934_591L)
        {
            field[0].Should().Be(0x80, "GNU tar marks base-256 numbers with the high bit");
        }
    }

    [Fact]
    public async Task Zero_block_scanning_finds_the_same_data_as_SEEK_DATA_when_the_file_system_cannot_tell()
    {
        using var directory = new TestDirectory();
        var path = directory.File("sparse.img");
        TestImages.WriteSparse(path, 8 * TestImages.MiB, (0, 4096), (3 * TestImages.MiB, 10_000), ((8 * TestImages.MiB) - 4096, 4096));
        using var file = File.OpenHandle(path);

        var regions = await ImageDataMap.FindByScanningForZerosAsync(file, 8 * TestImages.MiB, CancellationToken.None);

        regions.Should().Equal(
            new DataRegion(0, 4096),
            new DataRegion(3 * TestImages.MiB, 12_288),
            new DataRegion((8 * TestImages.MiB) - 4096, 4096));
    }
}
