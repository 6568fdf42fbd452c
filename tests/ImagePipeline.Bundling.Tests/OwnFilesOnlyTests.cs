using ImagePipeline.Abstractions;
using ImagePipeline.Testing.Images;

namespace ImagePipeline.Bundling.Tests;

/// <summary>
/// Bundling and unbundling remove only what they wrote, and never write over a file they did not make: an existing
/// bundle of the same name is refused before any work, an existing image is replaced only with Overwrite.
/// </summary>
public sealed class OwnFilesOnlyTests(PristineBundle pristine) : IClassFixture<PristineBundle>
{
    private const string UsersContent = "the user's own file";

    public static TheoryData<string> FilesOfTheBundlesNames => new()
    {
        "disk.img.manifest.xml",
        "disk.img.manifest.xml.inprogress",
        "disk.img.part.0",
        "disk.img.part.00",
        "disk.img.part.3.inprogress",
    };

    public static TheoryData<string> OtherFilesSharingThePrefix => new()
    {
        "disk.img.part.README",
        "disk.img.part.0.bak",
        "disk.img.manifest.xml.orig",
        "disk.img.partial",
        "disk.img",
    };

    [Theory]
    [MemberData(nameof(FilesOfTheBundlesNames))]
    public async Task Bundling_refuses_a_destination_holding_a_file_of_the_bundles_names_and_leaves_it_alone(string existing)
    {
        using var scenario = new BundleScenario();
        TestImages.WriteRandom(scenario.ImagePath, 5000);
        Directory.CreateDirectory(scenario.BundleDirectory);
        var path = Path.Combine(scenario.BundleDirectory, existing);
        await File.WriteAllTextAsync(path, UsersContent);

        var bundle = () => scenario.BundleAsync();

        var error = (await bundle.Should().ThrowAsync<PipelineException>()).Which;
        error.Kind.Should().Be(PipelineErrorKind.Input);
        error.Message.Should().Contain(existing).And.NotContain("\n");
        (await File.ReadAllTextAsync(path)).Should().Be(UsersContent);
        Directory.GetFiles(scenario.BundleDirectory).Should().Equal(path);
    }

    [Theory]
    [MemberData(nameof(OtherFilesSharingThePrefix))]
    public async Task Cancelled_bundling_removes_its_own_parts_and_keeps_other_files_that_share_the_prefix(string other)
    {
        using var scenario = new BundleScenario();
        TestImages.WriteRandom(scenario.ImagePath, 25L * TestImages.MiB);
        Directory.CreateDirectory(scenario.BundleDirectory);
        var path = Path.Combine(scenario.BundleDirectory, other);
        var olderBundle = Path.Combine(scenario.BundleDirectory, "older.img.part.0");
        await File.WriteAllTextAsync(path, UsersContent);
        await File.WriteAllTextAsync(olderBundle, UsersContent);
        using var cancel = new CancellationTokenSource();

        // Cancelled once more than a part's worth of the image has gone through, so parts of this run are on disk.
        var progress = new SynchronousProgress(done =>
        {
            if (done > 15L * TestImages.MiB)
            {
                cancel.Cancel();
            }
        });
        var bundle = () => scenario.Bundler.BundleAsync(scenario.Request(), progress, cancel.Token);

        await bundle.Should().ThrowAsync<OperationCanceledException>();
        Directory.GetFiles(scenario.BundleDirectory).Order(StringComparer.Ordinal).Should().Equal(new[] { path, olderBundle }.Order(StringComparer.Ordinal));
        (await File.ReadAllTextAsync(path)).Should().Be(UsersContent);
    }

    [Fact]
    public async Task Unbundling_over_an_existing_file_is_refused_before_any_work_naming_overwrite()
    {
        using var scenario = new BundleScenario();
        var existing = await ExistingImageAsync(scenario);

        // A key that does not exist: the refusal must come before the key, the parts or the stream are touched.
        var request = scenario.KeyRequest(pristine.Result.ManifestPath) with { PrivateKeyPath = scenario.File("no-such-key.pem") };
        var unbundle = () => scenario.Bundler.UnbundleAsync(request, scenario.UnbundleDirectory, null, CancellationToken.None);

        var error = (await unbundle.Should().ThrowAsync<PipelineException>()).Which;
        error.Kind.Should().Be(PipelineErrorKind.Input);
        error.Message.Should().Be($"The destination already holds '{existing}'; pass --overwrite to replace it, or another --unbundle-destination.");
        (await File.ReadAllTextAsync(existing)).Should().Be(UsersContent);
        Directory.GetFileSystemEntries(scenario.UnbundleDirectory).Should().Equal(existing);
    }

    [Fact]
    public async Task A_failed_unbundle_with_overwrite_keeps_the_existing_file_and_leaves_nothing_of_its_own()
    {
        using var scenario = new BundleScenario();
        var existing = await ExistingImageAsync(scenario);
        var copy = CopyPristine(scenario);
        await using (var part = new FileStream(Path.Combine(copy, "disk.img.part.2"), FileMode.Open))
        {
            part.Position = 100;
            part.WriteByte(0x42);
        }

        var unbundle = () => scenario.Bundler.UnbundleAsync(
            scenario.KeyRequest(Path.Combine(copy, "disk.img.manifest.xml")) with { Overwrite = true }, scenario.UnbundleDirectory, null, CancellationToken.None);

        (await unbundle.Should().ThrowAsync<PipelineException>()).WithMessage("The part 'disk.img.part.2' is damaged*");
        (await File.ReadAllTextAsync(existing)).Should().Be(UsersContent);
        Directory.GetFileSystemEntries(scenario.UnbundleDirectory).Should().Equal(existing);
    }

    [Fact]
    public async Task A_successful_unbundle_with_overwrite_replaces_the_file()
    {
        using var scenario = new BundleScenario();
        var existing = await ExistingImageAsync(scenario);

        var image = await scenario.Bundler.UnbundleAsync(
            scenario.KeyRequest(pristine.Result.ManifestPath) with { Overwrite = true }, scenario.UnbundleDirectory, null, CancellationToken.None);

        image.Should().Be(existing);
        ImageAssertions.Sha256(image).Should().Be(ImageAssertions.Sha256(pristine.Scenario.ImagePath));
        Directory.GetFileSystemEntries(scenario.UnbundleDirectory).Should().Equal(existing);
    }

    [Fact]
    public async Task A_folder_where_the_image_would_go_is_refused_even_with_overwrite()
    {
        using var scenario = new BundleScenario();
        var folder = Directory.CreateDirectory(Path.Combine(scenario.UnbundleDirectory, "disk.img")).FullName;

        var unbundle = () => scenario.Bundler.UnbundleAsync(
            scenario.KeyRequest(pristine.Result.ManifestPath) with { Overwrite = true }, scenario.UnbundleDirectory, null, CancellationToken.None);

        (await unbundle.Should().ThrowAsync<PipelineException>()).Which.Message.Should().Contain(folder).And.Contain("folder");
        Directory.Exists(folder).Should().BeTrue();
    }

    private static async Task<string> ExistingImageAsync(BundleScenario scenario)
    {
        Directory.CreateDirectory(scenario.UnbundleDirectory);
        var existing = Path.Combine(scenario.UnbundleDirectory, "disk.img");
        await File.WriteAllTextAsync(existing, UsersContent);
        return existing;
    }

    private string CopyPristine(BundleScenario scenario)
    {
        var copy = Directory.CreateDirectory(scenario.File("copy")).FullName;
        foreach (var file in Directory.GetFiles(pristine.Scenario.BundleDirectory))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }

    /// <summary>Reports on the caller's thread, so cancelling happens while the bundle is still being written.</summary>
    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
