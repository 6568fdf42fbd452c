using ImagePipeline.Abstractions;
using ImagePipeline.Testing.Images;

namespace ImagePipeline.Bundling.Tests;

public sealed class RoundTripTests
{
    private const int MiB = TestImages.MiB;

    public static TheoryData<string, long> PlainShapes => new()
    {
        { "one byte", 1 },
        { "exactly 10 MiB", 10L * MiB },
        { "10 MiB + 1", (10L * MiB) + 1 },
        { "odd size", 3 * MiB + 12345 },
    };

    [Theory]
    [MemberData(nameof(PlainShapes))]
    public async Task Bundling_random_data_round_trips_byte_identical(string shape, long size)
    {
        using var scenario = new BundleScenario();
        TestImages.WriteRandom(scenario.ImagePath, size);

        var result = await scenario.BundleAsync();

        result.ImageSize.Should().Be(size, shape);
        await AssertRoundTripAsync(scenario, result);
    }

    [Fact]
    public async Task The_bundle_format_round_trips_an_empty_file()
    {
        // The public BundleAsync refuses an empty image in its preflight; the format itself must still handle it.
        using var scenario = new BundleScenario();
        await File.WriteAllBytesAsync(scenario.ImagePath, []);

        var result = await scenario.Bundler.WriteBundleAsync(scenario.Request(), null, CancellationToken.None);

        result.ImageSize.Should().Be(0);
        result.Parts.Should().ContainSingle();
        await AssertRoundTripAsync(scenario, result);
    }

    [Fact]
    public async Task Bundling_written_zeros_round_trips_and_compresses_them_away()
    {
        using var scenario = new BundleScenario();
        await File.WriteAllBytesAsync(scenario.ImagePath, new byte[12 * MiB]);

        var result = await scenario.BundleAsync();

        result.BundledSize.Should().BeLessThan(100_000);
        await AssertRoundTripAsync(scenario, result);
    }

    [Fact]
    public async Task Bundling_incompressible_data_makes_full_10_MiB_parts_and_a_shorter_last_part()
    {
        using var scenario = new BundleScenario();
        TestImages.WriteRandom(scenario.ImagePath, 105L * MiB);

        var result = await scenario.BundleAsync();

        result.Parts.Should().HaveCountGreaterThanOrEqualTo(11);
        result.Parts.SkipLast(1).Should().OnlyContain(part => part.Size == BundleLayout.PartSize);
        result.Parts[^1].Size.Should().BeInRange(1, BundleLayout.PartSize);
        result.Parts.Select(part => part.FileName).Should().StartWith(["disk.img.part.00", "disk.img.part.01"]);
        Directory.GetFiles(scenario.BundleDirectory, "*.part.*").Should().HaveCount(result.Parts.Count, "no temporary parts are left behind");
        result.BundledSize.Should().Be(result.Parts.Sum(part => part.Size));
        await AssertRoundTripAsync(scenario, result);
    }

    public static TheoryData<string, long, (long, int)[]> SparseShapes => new()
    {
        { "holes at start, middle and end", 64L * MiB, [(8L * MiB, 300_000), (30L * MiB, 5000), (40L * MiB, 2 * MiB)] },
        { "data at start, hole at end", 32L * MiB, [(0, MiB)] },
        { "hole at start, data at end", 32L * MiB, [((32L * MiB) - 4096, 4096)] },
        { "entirely a hole", 16L * MiB, [] },
        { "many regions (extension headers)", 64L * MiB, Enumerable.Range(0, 40).Select(i => ((long)i * MiB * 3 / 2, 10_000 + i)).ToArray() },
    };

    [Theory]
    [MemberData(nameof(SparseShapes))]
    public async Task Bundling_a_sparse_image_round_trips_byte_identical_and_stays_sparse(string shape, long size, (long, int)[] regions)
    {
        using var scenario = new BundleScenario();
        TestImages.WriteSparse(scenario.ImagePath, size, regions);

        var result = await scenario.BundleAsync();

        result.ImageSize.Should().Be(size, shape);
        var restored = await AssertRoundTripAsync(scenario, result);
        ImageAssertions.AllocatedBytes(restored).Should().BeLessThan(size / 2, "holes must stay holes ({0})", shape);
    }

    [Fact]
    public async Task Progress_counts_image_bytes_including_holes_up_to_the_image_size()
    {
        using var scenario = new BundleScenario();
        TestImages.WriteSparse(scenario.ImagePath, 40L * MiB, (20L * MiB, MiB));
        var reports = new List<long>();

        await scenario.Bundler.BundleAsync(scenario.Request(), new SynchronousProgress(reports), CancellationToken.None);

        reports.Should().NotBeEmpty().And.BeInAscendingOrder();
        reports[^1].Should().Be(40L * MiB);
    }

    [Fact]
    public async Task The_bundle_name_defaults_to_the_image_file_name_and_can_be_chosen()
    {
        using var scenario = new BundleScenario();
        TestImages.WriteRandom(scenario.ImagePath, 1000);

        var named = await scenario.BundleAsync(scenario.Request(name: "web-server"));

        named.Name.Should().Be("web-server");
        File.Exists(Path.Combine(scenario.BundleDirectory, "web-server.manifest.xml")).Should().BeTrue();
        File.Exists(Path.Combine(scenario.BundleDirectory, "web-server.part.0")).Should().BeTrue();
        var restored = await scenario.Bundler.UnbundleAsync(scenario.KeyRequest(named.ManifestPath), scenario.UnbundleDirectory, null, CancellationToken.None);
        Path.GetFileName(restored).Should().Be("web-server");
    }

    [Fact]
    public async Task A_cancelled_bundle_leaves_no_parts_behind()
    {
        using var scenario = new BundleScenario();
        TestImages.WriteRandom(scenario.ImagePath, 30L * MiB);
        using var cancellation = new CancellationTokenSource();
        var cancelAfterFirstReport = new CancellingProgress(cancellation, after: 12L * MiB);

        var bundle = () => scenario.Bundler.BundleAsync(scenario.Request(), cancelAfterFirstReport, cancellation.Token);

        await bundle.Should().ThrowAsync<OperationCanceledException>();
        Directory.GetFiles(scenario.BundleDirectory).Should().BeEmpty();
    }

    private static async Task<string> AssertRoundTripAsync(BundleScenario scenario, BundleResult result)
    {
        var verification = await scenario.Bundler.VerifyAsync(scenario.KeyRequest(result.ManifestPath), null, CancellationToken.None);
        verification.PartCount.Should().Be(result.Parts.Count);
        verification.TarDigestSha1.Should().Be(result.TarDigestSha1);
        verification.AccountId.Should().Be("123456789012");
        verification.ImageSize.Should().Be(result.ImageSize);

        var restored = await scenario.Bundler.UnbundleAsync(scenario.KeyRequest(result.ManifestPath, withCertificate: false), scenario.UnbundleDirectory, null, CancellationToken.None);
        new FileInfo(restored).Length.Should().Be(result.ImageSize);
        ImageAssertions.Sha256(restored).Should().Be(ImageAssertions.Sha256(scenario.ImagePath));
        return restored;
    }

    private sealed class CancellingProgress(CancellationTokenSource cancellation, long after) : IProgress<long>
    {
        public void Report(long value)
        {
            if (value >= after)
            {
                cancellation.Cancel();
            }
        }
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; this records reports in order, as they happen.</summary>
    private sealed class SynchronousProgress(List<long> reports) : IProgress<long>
    {
        public void Report(long value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
