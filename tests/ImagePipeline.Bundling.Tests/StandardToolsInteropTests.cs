using System.Security.Cryptography;
using System.Text;
using ImagePipeline.Abstractions;
using ImagePipeline.Bundling.Compression;
using ImagePipeline.Bundling.Tests.Manifests;
using ImagePipeline.Testing.Images;

namespace ImagePipeline.Bundling.Tests;

/// <summary>Bundles must be interchangeable with the EC2 AMI tools, which are openssl + gzip + GNU tar underneath.</summary>
public sealed class StandardToolsInteropTests
{
    private const long MiB = TestImages.MiB;

    public static TheoryData<string, long, (long, int)[]> Images => new()
    {
        { "holes at start, middle and end", 48 * MiB, [(4 * MiB, 100_000), (20 * MiB, 12 * (int)MiB)] },
        { "entirely a hole", 8 * MiB, [] },
        { "dense", 3 * MiB, [(0, 3 * (int)MiB)] },
        { "larger than 8 GiB (base-256 numbers)", (9L << 30) + 4096, [(0, 4096), (5L << 30, 70_000), (9L << 30, 4096)] },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public async Task A_bundle_opens_with_openssl_gunzip_and_GNU_tar_byte_identical(string shape, long size, (long, int)[] regions)
    {
        using var scenario = new BundleScenario();
        TestImages.WriteSparse(scenario.ImagePath, size, regions);
        var result = await scenario.BundleAsync();
        var manifest = new ManifestText(result.ManifestPath);
        var root = scenario.Root;

        var keyHex = DecryptWithOpenSsl(root, manifest.Value("user_encrypted_key"), scenario.Credentials.PrivateKeyPath);
        var ivHex = DecryptWithOpenSsl(root, manifest.Value("user_encrypted_iv"), scenario.Credentials.PrivateKeyPath);
        keyHex.Should().MatchRegex("^[0-9a-f]{32}$");
        ivHex.Should().MatchRegex("^[0-9a-f]{32}$");
        DecryptWithOpenSsl(root, manifest.Value("ec2_encrypted_key"), scenario.Credentials.Ec2PrivateKeyPath).Should().Be(keyHex);
        DecryptWithOpenSsl(root, manifest.Value("ec2_encrypted_iv"), scenario.Credentials.Ec2PrivateKeyPath).Should().Be(ivHex);

        var parts = string.Join(' ', result.Parts.Select(part => $"'{part.Path}'"));
        var decrypt = $"cat {parts} | openssl enc -d -aes-128-cbc -K {keyHex} -iv {ivHex}";
        var tarSha1 = ShellCommand.Run($"{decrypt} | gunzip | sha1sum", root).Split(' ')[0];
        tarSha1.Should().Be(manifest.Image.Element("digest")!.Value, shape);
        Directory.CreateDirectory(scenario.UnbundleDirectory);
        ShellCommand.Run($"{decrypt} | gunzip | tar -x -C '{scenario.UnbundleDirectory}'", root);

        var extracted = Path.Combine(scenario.UnbundleDirectory, "disk.img");
        new FileInfo(extracted).Length.Should().Be(size);
        await ImageAssertions.AssertSameContentAsync(scenario.ImagePath, extracted);
        if (regions.Sum(region => (long)region.Item2) < size / 2)
        {
            ImageAssertions.AllocatedBytes(extracted).Should().BeLessThan(size / 2, "GNU tar keeps the holes ({0})", shape);
        }
    }

    [Fact]
    public async Task Openssl_accepts_the_manifest_signature_over_the_cut_out_fragments()
    {
        using var scenario = new BundleScenario();
        TestImages.WriteRandom(scenario.ImagePath, 5000);
        var result = await scenario.BundleAsync();
        var manifest = new ManifestText(result.ManifestPath);
        var root = scenario.Root;
        await File.WriteAllTextAsync(Path.Combine(root, "signed.txt"), manifest.SignedText);
        await File.WriteAllBytesAsync(Path.Combine(root, "signature.bin"), Convert.FromHexString(manifest.Signature));

        var output = ShellCommand.Run(
            $"openssl x509 -pubkey -noout -in '{scenario.Credentials.UserCertificatePath}' > pub.pem && openssl dgst -sha1 -verify pub.pem -signature signature.bin signed.txt",
            root);

        output.Should().Contain("Verified OK");
    }

    [Fact]
    public async Task The_manifest_is_laid_out_as_the_AMI_tools_write_it()
    {
        using var scenario = new BundleScenario();
        TestImages.WriteRandom(scenario.ImagePath, 5000);
        var request = scenario.Request() with { KernelId = "aki-12345678", ProductCodes = ["abc123"] };

        var result = await scenario.BundleAsync(request);
        var text = await File.ReadAllTextAsync(result.ManifestPath);

        text.Should().StartWith(
            "<?xml version='1.0'?><manifest><version>2007-10-10</version><bundler><name>imagepipeline</name><version>1.0</version><release>1</release></bundler>"
            + "<machine_configuration><architecture>x86_64</architecture><block_device_mapping><mapping><virtual>ami</virtual><device>sda1</device></mapping>"
            + "<mapping><virtual>root</virtual><device>/dev/sda1</device></mapping></block_device_mapping><kernel_id>aki-12345678</kernel_id>"
            + "<product_codes><product_code>abc123</product_code></product_codes></machine_configuration>"
            + "<image><name>disk.img</name><user>123456789012</user><type>machine</type><digest algorithm=\"SHA1\">");
        text.Should().NotContain("\n").And.NotContain("ramdisk_id");
        text.Should().MatchRegex(
            "<size>5000</size><bundled_size>\\d+</bundled_size><ec2_encrypted_key algorithm=\"AES-128-CBC\">[0-9a-f]{512}</ec2_encrypted_key>"
            + "<user_encrypted_key algorithm=\"AES-128-CBC\">[0-9a-f]{512}</user_encrypted_key><ec2_encrypted_iv>[0-9a-f]{512}</ec2_encrypted_iv>"
            + "<user_encrypted_iv>[0-9a-f]{512}</user_encrypted_iv><parts count=\"1\"><part index=\"0\"><filename>disk.img.part.0</filename>"
            + "<digest algorithm=\"SHA1\">[0-9a-f]{40}</digest></part></parts></image><signature>[0-9a-f]{512}</signature></manifest>$");
    }

    [Theory]
    [InlineData("--format=gnu")]
    [InlineData("--format=pax --sparse-version=1.0")]
    [InlineData("--format=pax --sparse-version=0.1")]
    [InlineData("--format=pax --sparse-version=0.0")]
    public async Task A_bundle_made_with_standard_tools_verifies_and_unbundles_byte_identical(string tarFormat)
    {
        using var scenario = new BundleScenario();
        TestImages.WriteSparse(scenario.ImagePath, 40 * MiB, (MiB, 4096), (10 * MiB, 11 * (int)MiB), (30 * MiB, 70_000));
        var root = scenario.Root;
        var credentials = scenario.Credentials;
        var keyHex = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var ivHex = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        Directory.CreateDirectory(scenario.BundleDirectory);

        // What ec2-bundle-image does: tar -S | sha1 | gzip -9 | openssl enc | split, then wrap KEYHEX/IVHEX with RSA.
        ShellCommand.Run(
            $"tar -c -S {tarFormat} --owner 0 --group 0 -C '{root}' disk.img > image.tar && "
            + $"gzip -9 -c image.tar | openssl enc -e -aes-128-cbc -K {keyHex} -iv {ivHex} > image.enc && "
            + $"split -b 10485760 -d -a 1 image.enc '{scenario.BundleDirectory}/disk.img.part.'",
            root);
        var tarSha1 = ShellCommand.Run("sha1sum image.tar", root).Split(' ')[0];
        var parts = Directory.GetFiles(scenario.BundleDirectory, "disk.img.part.*").Order(StringComparer.Ordinal).ToList();
        parts.Should().HaveCount(2);

        var image = new StringBuilder("<image><name>disk.img</name><user>123456789012</user><type>machine</type>")
            .Append($"<digest algorithm=\"SHA1\">{tarSha1}</digest><size>{40 * MiB}</size><bundled_size>{parts.Sum(part => new FileInfo(part).Length)}</bundled_size>")
            .Append($"<ec2_encrypted_key algorithm=\"AES-128-CBC\">{EncryptWithOpenSsl(root, keyHex, credentials.Ec2CertificatePath)}</ec2_encrypted_key>")
            .Append($"<user_encrypted_key algorithm=\"AES-128-CBC\">{EncryptWithOpenSsl(root, keyHex, credentials.UserCertificatePath)}</user_encrypted_key>")
            .Append($"<ec2_encrypted_iv>{EncryptWithOpenSsl(root, ivHex, credentials.Ec2CertificatePath)}</ec2_encrypted_iv>")
            .Append($"<user_encrypted_iv>{EncryptWithOpenSsl(root, ivHex, credentials.UserCertificatePath)}</user_encrypted_iv>")
            .Append($"<parts count=\"{parts.Count}\">");
        for (var index = 0; index < parts.Count; index++)
        {
            var sha1 = ShellCommand.Run($"sha1sum '{parts[index]}'", root).Split(' ')[0];
            image.Append($"<part index=\"{index}\"><filename>{Path.GetFileName(parts[index])}</filename><digest algorithm=\"SHA1\">{sha1}</digest></part>");
        }

        image.Append("</parts></image>");
        var machine = "<machine_configuration><architecture>x86_64</architecture></machine_configuration>";
        await File.WriteAllTextAsync(Path.Combine(root, "signed.txt"), machine + image);
        ShellCommand.Run($"openssl dgst -sha1 -sign '{credentials.PrivateKeyPath}' -out signature.bin signed.txt", root);
        var signature = Convert.ToHexStringLower(await File.ReadAllBytesAsync(Path.Combine(root, "signature.bin")));
        var manifestPath = Path.Combine(scenario.BundleDirectory, "disk.img.manifest.xml");
        await File.WriteAllTextAsync(
            manifestPath,
            $"<?xml version='1.0'?><manifest><version>2007-10-10</version><bundler><name>ec2-ami-tools</name><version>1.5.7</version><release>0</release></bundler>{machine}{image}<signature>{signature}</signature></manifest>");

        var verification = await scenario.Bundler.VerifyAsync(scenario.KeyRequest(manifestPath), null, CancellationToken.None);
        var restored = await scenario.Bundler.UnbundleAsync(scenario.KeyRequest(manifestPath), scenario.UnbundleDirectory, null, CancellationToken.None);

        verification.TarDigestSha1.Should().Be(tarSha1);
        verification.PartCount.Should().Be(2);
        ImageAssertions.Sha256(restored).Should().Be(ImageAssertions.Sha256(scenario.ImagePath));
        ImageAssertions.AllocatedBytes(restored).Should().BeLessThan(20 * MiB, "holes stay holes");
    }

    [Fact]
    public async Task The_parallel_gzip_stream_is_one_valid_member_that_gzip_decompresses()
    {
        using var directory = new TestDirectory();
        var input = new byte[3 * MiB + 777];
        var random = new Random(3);
        for (var index = 0; index < input.Length; index += 1000)
        {
            // Half text-like, half random: both stored-ish and well-compressed deflate blocks get stitched.
            if ((index / 1000) % 2 == 0)
            {
                random.NextBytes(input.AsSpan(index, Math.Min(1000, input.Length - index)));
            }
            else
            {
                Encoding.ASCII.GetBytes("the quick brown fox jumps over the lazy dog ".PadRight(1000, '.'), input.AsSpan(index, Math.Min(1000, input.Length - index)));
            }
        }

        var compressed = directory.File("stream.gz");
        await using (var output = File.Create(compressed))
        {
            using var gzip = new ParallelGzipWriter(output, parallelism: 3, CancellationToken.None, chunkSize: 64 * 1024);
            gzip.Write(input);
            gzip.Complete();
        }

        await File.WriteAllBytesAsync(directory.File("original"), input);
        ShellCommand.Run("gzip -t stream.gz && gzip -dc stream.gz | cmp - original", directory.Path);
        ShellCommand.Run("gzip -l stream.gz", directory.Path).Should().Contain(input.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string DecryptWithOpenSsl(string directory, string encryptedHex, string privateKeyPath)
    {
        var input = Path.Combine(directory, "wrapped.bin");
        File.WriteAllBytes(input, Convert.FromHexString(encryptedHex));
        return ShellCommand.Run($"openssl pkeyutl -decrypt -inkey '{privateKeyPath}' -in wrapped.bin", directory);
    }

    private static string EncryptWithOpenSsl(string directory, string plainText, string certificatePath)
    {
        File.WriteAllText(Path.Combine(directory, "plain.txt"), plainText);
        ShellCommand.Run($"openssl pkeyutl -encrypt -certin -inkey '{certificatePath}' -in plain.txt -out wrapped.bin", directory);
        return Convert.ToHexStringLower(File.ReadAllBytes(Path.Combine(directory, "wrapped.bin")));
    }
}
