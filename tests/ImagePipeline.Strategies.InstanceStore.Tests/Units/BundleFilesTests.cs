using ImagePipeline.Strategies.InstanceStore.Bundles;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>What cleanup may remove for a bundle named NAME: its manifest and NAME.part.DIGITS (also in progress), nothing else.</summary>
public sealed class BundleFilesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("imagepipeline-bundlefiles-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("disk.manifest.xml", true)]
    [InlineData("disk.manifest.xml.inprogress", true)]
    [InlineData("disk.part.0", true)]
    [InlineData("disk.part.007", true)]
    [InlineData("disk.part.12.inprogress", true)]
    [InlineData("disk.part.README", false)]
    [InlineData("disk.part.0.bak", false)]
    [InlineData("disk.part.", false)]
    [InlineData("disk.manifest.xml.orig", false)]
    [InlineData("disk.partial", false)]
    [InlineData("disk", false)]
    [InlineData("diskette.part.0", false)]
    [InlineData("other.part.0", false)]
    [InlineData("DISK.part.0", false)]
    public void Only_the_bundles_own_names_are_deleted(string fileName, bool isBundleFile)
    {
        var path = Path.Combine(_directory, fileName);
        File.WriteAllText(path, "x");

        var removed = BundleFiles.Delete(_directory, "disk");

        removed.Should().Be(isBundleFile ? 1 : 0);
        File.Exists(path).Should().Be(!isBundleFile);
    }

    [Fact]
    public void A_prefix_with_pattern_characters_matches_only_itself()
    {
        File.WriteAllText(Path.Combine(_directory, "a.b.part.0"), "x");
        File.WriteAllText(Path.Combine(_directory, "aXb.part.0"), "x");

        BundleFiles.Existing(_directory, "a.b").Select(Path.GetFileName).Should().Equal("a.b.part.0");
    }
}
