using System.Security.Cryptography;
using ImagePipeline.Abstractions;
using ImagePipeline.Testing.Images;

namespace ImagePipeline.Bundling.Tests;

public sealed class KeylessBundlingTests
{
    private const int MiB = TestImages.MiB;

    [Fact]
    public async Task A_bundle_made_without_the_private_key_and_sealed_with_it_verifies_and_unbundles_byte_identical()
    {
        using var scenario = new BundleScenario();
        TestImages.WriteSparse(scenario.ImagePath, 64L * MiB, (0, 3 * MiB), (20L * MiB, 9 * MiB), (50L * MiB, 12 * MiB));
        var announced = new List<(StreamedBundlePart Part, bool Existed, string Sha1, string Md5)>();

        var bundle = await new KeylessImageBundler().BundleAsync(
            KeylessRequest(scenario),
            progress: null,
            part => announced.Add((part, File.Exists(part.Path), FileSha1(part.Path), FileMd5(part.Path))),
            CancellationToken.None);
        var manifestPath = await new ManifestSealer().WriteAsync(bundle, SealRequest(scenario), scenario.BundleDirectory, CancellationToken.None);

        announced.Should().HaveCountGreaterThan(1, "a random 24 MiB of data makes several parts");
        announced.Select(entry => entry.Part).Should().Equal(bundle.Parts);
        announced.Should().OnlyContain(entry => entry.Existed && entry.Sha1 == entry.Part.Sha1Hex && entry.Md5 == entry.Part.Md5Base64,
            "each part is complete on disk, with the digests reported, when it is announced");
        Directory.GetFiles(scenario.BundleDirectory, "*.inprogress").Should().BeEmpty();
        var verification = await scenario.Bundler.VerifyAsync(scenario.KeyRequest(manifestPath), null, CancellationToken.None);
        verification.PartCount.Should().Be(bundle.Parts.Count);
        verification.AccountId.Should().Be("123456789012");
        var restored = await scenario.Bundler.UnbundleAsync(scenario.KeyRequest(manifestPath), scenario.UnbundleDirectory, null, CancellationToken.None);
        ImageAssertions.Sha256(restored).Should().Be(ImageAssertions.Sha256(scenario.ImagePath));
    }

    [Fact]
    public async Task A_fifo_given_as_the_image_is_refused_as_input_without_blocking_and_writes_nothing()
    {
        using var scenario = new BundleScenario();
        ShellCommand.Run($"mkfifo '{scenario.ImagePath}'", scenario.Root);

        var bundle = () => new KeylessImageBundler().BundleAsync(KeylessRequest(scenario), null, _ => { }, CancellationToken.None);

        var error = (await bundle.Should().ThrowAsync<PipelineException>().WaitAsync(TimeSpan.FromSeconds(30))).Which;
        error.Kind.Should().Be(PipelineErrorKind.Input);
        error.Message.Should().Contain("a FIFO");
        Directory.EnumerateFiles(scenario.BundleDirectory).Should().BeEmpty();
    }

    [Fact]
    public async Task The_EC2_copy_of_the_bundle_key_opens_with_the_EC2_private_key()
    {
        using var scenario = new BundleScenario();
        TestImages.WriteRandom(scenario.ImagePath, 100_000);

        var bundle = await new KeylessImageBundler().BundleAsync(KeylessRequest(scenario), null, _ => { }, CancellationToken.None);

        using var ec2Key = RSA.Create();
        ec2Key.ImportFromPem(await File.ReadAllTextAsync(scenario.Credentials.Ec2PrivateKeyPath));
        var keyHex = System.Text.Encoding.ASCII.GetString(ec2Key.Decrypt(Convert.FromHexString(bundle.Ec2EncryptedKey), RSAEncryptionPadding.Pkcs1));
        var ivHex = System.Text.Encoding.ASCII.GetString(ec2Key.Decrypt(Convert.FromHexString(bundle.Ec2EncryptedIv), RSAEncryptionPadding.Pkcs1));
        keyHex.Should().MatchRegex("^[0-9a-f]{32}$");
        ivHex.Should().MatchRegex("^[0-9a-f]{32}$");
    }

    [Fact]
    public async Task The_bundle_stream_is_the_same_as_the_signing_bundlers_for_the_same_image()
    {
        using var scenario = new BundleScenario();
        TestImages.WriteSparse(scenario.ImagePath, 32L * MiB, (MiB, 5 * MiB), (30L * MiB, MiB));

        var signed = await scenario.BundleAsync();
        var keyless = await new KeylessImageBundler().BundleAsync(KeylessRequest(scenario, "keyless"), null, _ => { }, CancellationToken.None);

        keyless.ImageSize.Should().Be(signed.ImageSize);
        keyless.BundledSize.Should().Be(signed.BundledSize, "the same tar and gzip stream, encrypted with another key, has the same length");
        keyless.Parts.Select(part => part.Size).Should().Equal(signed.Parts.Select(part => part.Size));
    }

    [Fact]
    public async Task Part_indexes_are_padded_to_the_digits_of_the_largest_part_count_the_image_could_need()
    {
        using var scenario = new BundleScenario();
        TestImages.WriteSparse(scenario.ImagePath, 200L * MiB, (0, 95 * MiB));
        await using (var zeros = new FileStream(scenario.ImagePath, FileMode.Open))
        {
            // Zeros written as data: counted in the upper bound (95 MiB, 10 parts) but compressed to one part.
            zeros.Write(new byte[95 * MiB]);
        }

        var bundle = await new KeylessImageBundler().BundleAsync(KeylessRequest(scenario), null, _ => { }, CancellationToken.None);

        bundle.Parts.Should().ContainSingle().Which.FileName.Should().Be("disk.img.part.00");
    }

    [Fact]
    public async Task Sealing_again_after_an_earlier_attempt_keeps_the_same_manifest_and_never_writes_over_another()
    {
        using var scenario = new BundleScenario();
        TestImages.WriteRandom(scenario.ImagePath, 100_000);
        var bundle = await new KeylessImageBundler().BundleAsync(KeylessRequest(scenario), null, _ => { }, CancellationToken.None);
        var sealDirectory = Path.Combine(scenario.Root, "sealed");
        var first = await new ManifestSealer().WriteAsync(bundle, SealRequest(scenario), sealDirectory, CancellationToken.None);
        var sealedText = await File.ReadAllTextAsync(first);

        var again = await new ManifestSealer().WriteAsync(bundle, SealRequest(scenario), sealDirectory, CancellationToken.None);

        again.Should().Be(first);
        (await File.ReadAllTextAsync(again)).Should().Be(sealedText);
        var users = Path.Combine(scenario.Root, "users");
        var theirs = Path.Combine(Directory.CreateDirectory(users).FullName, Path.GetFileName(first));
        await File.WriteAllTextAsync(theirs, "the user's own file");
        var overwrite = () => new ManifestSealer().WriteAsync(bundle, SealRequest(scenario), users, CancellationToken.None);
        (await overwrite.Should().ThrowAsync<PipelineException>()).Which.Message.Should().Contain("nothing was written over it");
        (await File.ReadAllTextAsync(theirs)).Should().Be("the user's own file");
        Directory.GetFiles(users, "*.inprogress").Should().BeEmpty();
    }

    [Fact]
    public async Task Sealing_with_the_key_of_another_certificate_is_refused_with_the_fix()
    {
        using var scenario = new BundleScenario();
        TestImages.WriteRandom(scenario.ImagePath, 100_000);
        var bundle = await new KeylessImageBundler().BundleAsync(KeylessRequest(scenario), null, _ => { }, CancellationToken.None);
        var (_, otherKey) = TestCredentials.WriteKeyPair(scenario.Root, "other", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        var seal = () => new ManifestSealer().WriteAsync(bundle, SealRequest(scenario) with { PrivateKeyPath = otherKey }, scenario.BundleDirectory, CancellationToken.None);

        (await seal.Should().ThrowAsync<PipelineException>()).Which.Message.Should().Contain("made for another user certificate");
        File.Exists(Path.Combine(scenario.BundleDirectory, "disk.img.manifest.xml")).Should().BeFalse();
    }

    [Fact]
    public async Task A_report_whose_parts_do_not_add_up_is_refused()
    {
        using var scenario = new BundleScenario();
        TestImages.WriteRandom(scenario.ImagePath, 100_000);
        var bundle = await new KeylessImageBundler().BundleAsync(KeylessRequest(scenario), null, _ => { }, CancellationToken.None);

        var seal = () => ManifestSealer.Seal(bundle with { BundledSize = bundle.BundledSize + 1 }, SealRequest(scenario));

        seal.Should().Throw<PipelineException>().Which.Message.Should().Contain("bundle the image again");
    }

    [Fact]
    public async Task A_cancelled_keyless_bundle_leaves_no_parts_behind()
    {
        using var scenario = new BundleScenario();
        TestImages.WriteRandom(scenario.ImagePath, 30L * MiB);
        using var cancellation = new CancellationTokenSource();

        var bundle = () => new KeylessImageBundler().BundleAsync(KeylessRequest(scenario), null, _ => cancellation.Cancel(), cancellation.Token);

        await bundle.Should().ThrowAsync<OperationCanceledException>();
        Directory.GetFiles(scenario.BundleDirectory).Should().BeEmpty();
    }

    private static KeylessBundleRequest KeylessRequest(BundleScenario scenario, string? name = null) => new()
    {
        ImagePath = scenario.ImagePath,
        UserCertificatePath = scenario.Credentials.UserCertificatePath,
        Ec2CertificatePath = scenario.Credentials.Ec2CertificatePath,
        Architecture = "x86_64",
        Name = name,
        DestinationDirectory = scenario.BundleDirectory,
        BlockDeviceMappings = new Dictionary<string, string> { ["root"] = "/dev/sda1", ["ami"] = "sda1" },
    };

    private static ManifestSealRequest SealRequest(BundleScenario scenario) => new()
    {
        AccountId = "1234-5678-9012",
        PrivateKeyPath = scenario.Credentials.PrivateKeyPath,
    };

    private static string FileSha1(string path) => File.Exists(path) ? Convert.ToHexStringLower(SHA1.HashData(File.ReadAllBytes(path))) : string.Empty;

    private static string FileMd5(string path) => File.Exists(path) ? Convert.ToBase64String(MD5.HashData(File.ReadAllBytes(path))) : string.Empty;
}
