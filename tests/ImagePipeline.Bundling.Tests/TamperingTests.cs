using ImagePipeline.Abstractions;
using ImagePipeline.Bundling.Manifests;
using ImagePipeline.Bundling.Tests.Manifests;
using ImagePipeline.Testing.Images;

namespace ImagePipeline.Bundling.Tests;

/// <summary>One three-part bundle, made once; each test damages its own copy.</summary>
public sealed class PristineBundle : IAsyncLifetime
{
    public BundleScenario Scenario { get; } = new();

    public BundleResult Result { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        TestImages.WriteRandom(Scenario.ImagePath, (21L * TestImages.MiB) + 123);
        Result = await Scenario.BundleAsync();
    }

    public Task DisposeAsync()
    {
        Scenario.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class TamperingTests(PristineBundle pristine) : IClassFixture<PristineBundle>
{
    /// <summary>A fresh scenario (same credentials) holding a copy of the pristine bundle, and the copy's result.</summary>
    private Task<(BundleScenario Scenario, BundleResult Result)> BundleThreePartsAsync()
    {
        var scenario = new BundleScenario();
        Directory.CreateDirectory(scenario.BundleDirectory);
        foreach (var file in Directory.GetFiles(pristine.Scenario.BundleDirectory))
        {
            File.Copy(file, Path.Combine(scenario.BundleDirectory, Path.GetFileName(file)));
        }

        var original = pristine.Result;
        original.Parts.Should().HaveCount(3);
        var result = original with
        {
            ManifestPath = Path.Combine(scenario.BundleDirectory, Path.GetFileName(original.ManifestPath)),
            Parts = original.Parts.Select(part => part with { Path = Path.Combine(scenario.BundleDirectory, part.FileName) }).ToList(),
        };
        return Task.FromResult((scenario, result));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 5_000_000)]
    [InlineData(2, -1)]
    public async Task A_flipped_byte_in_any_part_is_detected_and_the_part_is_named(int partIndex, long position)
    {
        var (scenario, result) = await BundleThreePartsAsync();
        using var _ = scenario;
        var part = result.Parts[partIndex];
        await FlipByteAsync(part.Path, position < 0 ? part.Size - 1 : position);

        var verify = () => scenario.Bundler.VerifyAsync(scenario.KeyRequest(result.ManifestPath), null, CancellationToken.None);
        var unbundle = () => scenario.Bundler.UnbundleAsync(scenario.KeyRequest(result.ManifestPath), scenario.UnbundleDirectory, null, CancellationToken.None);

        (await verify.Should().ThrowAsync<PipelineException>()).WithMessage($"The part '{part.FileName}' is damaged*");
        (await unbundle.Should().ThrowAsync<PipelineException>()).WithMessage($"The part '{part.FileName}' is damaged*");
        Directory.Exists(scenario.UnbundleDirectory).Should().BeTrue();
        Directory.GetFiles(scenario.UnbundleDirectory).Should().BeEmpty("a failed unbundle leaves no partial image");
    }

    [Theory]
    [InlineData("<size>", "<size>9")]
    [InlineData("<user>123456789012</user>", "<user>210987654321</user>")]
    [InlineData("<architecture>x86_64</architecture>", "<architecture>i386</architecture>")]
    [InlineData("<type>machine</type>", "<type>kernel</type>")]
    public async Task A_changed_manifest_field_breaks_the_signature(string original, string changed)
    {
        var (scenario, result) = await BundleThreePartsAsync();
        using var _ = scenario;
        var text = await File.ReadAllTextAsync(result.ManifestPath);
        await File.WriteAllTextAsync(result.ManifestPath, text.Replace(original, changed, StringComparison.Ordinal));

        var verify = () => scenario.Bundler.VerifyAsync(scenario.KeyRequest(result.ManifestPath), null, CancellationToken.None);

        (await verify.Should().ThrowAsync<PipelineException>()).WithMessage("The manifest signature of 'disk.img' does not match*");
    }

    [Fact]
    public async Task A_missing_part_is_named()
    {
        var (scenario, result) = await BundleThreePartsAsync();
        using var _ = scenario;
        File.Delete(result.Parts[2].Path);

        var verify = () => scenario.Bundler.VerifyAsync(scenario.KeyRequest(result.ManifestPath), null, CancellationToken.None);

        (await verify.Should().ThrowAsync<PipelineException>()).WithMessage($"The part '{result.Parts[2].FileName}' is missing*");
    }

    [Fact]
    public async Task A_truncated_part_is_reported_as_a_size_mismatch()
    {
        var (scenario, result) = await BundleThreePartsAsync();
        using var _ = scenario;
        await using (var part = new FileStream(result.Parts[0].Path, FileMode.Open))
        {
            part.SetLength(part.Length - 16);
        }

        var verify = () => scenario.Bundler.VerifyAsync(scenario.KeyRequest(result.ManifestPath), null, CancellationToken.None);

        (await verify.Should().ThrowAsync<PipelineException>()).WithMessage("The parts of 'disk.img' hold * bytes but the manifest says *");
    }

    [Fact]
    public async Task Another_users_key_cannot_open_the_bundle()
    {
        var (scenario, result) = await BundleThreePartsAsync();
        using var _ = scenario;
        var (_, otherKey) = TestCredentials.WriteKeyPair(scenario.Root, "other", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        var withCertificate = () => scenario.Bundler.VerifyAsync(scenario.KeyRequest(result.ManifestPath) with { PrivateKeyPath = otherKey }, null, CancellationToken.None);
        var withoutCertificate = () => scenario.Bundler.VerifyAsync(scenario.KeyRequest(result.ManifestPath, withCertificate: false) with { PrivateKeyPath = otherKey }, null, CancellationToken.None);

        (await withCertificate.Should().ThrowAsync<PipelineException>()).WithMessage("The private key '*' cannot open the bundle 'disk.img': it was made for another key*");
        (await withoutCertificate.Should().ThrowAsync<PipelineException>()).WithMessage("The manifest signature of 'disk.img' does not match*");
    }

    [Fact]
    public async Task A_changed_tar_digest_in_a_consistently_re_signed_manifest_is_detected()
    {
        var (scenario, result) = await BundleThreePartsAsync();
        using var _ = scenario;
        var manifest = new ManifestText(result.ManifestPath);
        var forged = manifest.Text.Replace(result.TarDigestSha1, new string('0', 40), StringComparison.Ordinal);

        // Re-sign with the owner's key: the signature holds, only the digest check can notice.
        using var key = System.Security.Cryptography.RSA.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(scenario.Credentials.PrivateKeyPath));
        var signedText = new ManifestText(result.ManifestPath).SignedText.Replace(result.TarDigestSha1, new string('0', 40), StringComparison.Ordinal);
        forged = forged.Replace(manifest.Signature, ManifestSignature.Sign(key, signedText), StringComparison.Ordinal);
        await File.WriteAllTextAsync(result.ManifestPath, forged);

        var verify = () => scenario.Bundler.VerifyAsync(scenario.KeyRequest(result.ManifestPath), null, CancellationToken.None);

        (await verify.Should().ThrowAsync<PipelineException>()).WithMessage("The tar stream of 'disk.img' does not match the manifest's digest*");
    }

    private static async Task FlipByteAsync(string path, long position)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = position;
        var value = file.ReadByte();
        file.Position = position;
        file.WriteByte((byte)(value ^ 0x5A));
    }
}
