using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ImagePipeline.Abstractions;
using ImagePipeline.Bundling.Credentials;
using ImagePipeline.Bundling.Encryption;
using ImagePipeline.Bundling.Manifests;
using ImagePipeline.Bundling.Tar;
using static ImagePipeline.Bundling.Tests.Tar.CraftedTar;

namespace ImagePipeline.Bundling.Tests.Tar;

/// <summary>
/// Fuzz-style table of malformed tar streams: PAX records, sparse maps of every GNU flavour, and numbers near 2^60 and
/// 2^63. Each must end in one <see cref="InvalidDataException"/> (which the opener turns into one line, exit 1), never in
/// another exception, a hang, or data written outside the file's declared size.
/// </summary>
public sealed class MalformedTarTests
{
    private const long Near2To60 = 1L << 60;
    private const long Near2To63 = long.MaxValue - 100;

    private static readonly Dictionary<string, Func<byte[]>> Cases = new()
    {
        // PAX records ("LENGTH KEY=VALUE\n").
        ["PAX record length shorter than the record"] = () => PaxEntry(Encoding.ASCII.GetBytes("5 path=disk.img\n"), 0),
        ["PAX record length of zero"] = () => PaxEntry(Encoding.ASCII.GetBytes("0 path=disk.img\n"), 0),
        ["PAX record length negative"] = () => PaxEntry(Encoding.ASCII.GetBytes("-16 path=disk.img\n"), 0),
        ["PAX record length past the data"] = () => PaxEntry(Encoding.ASCII.GetBytes("999999 path=disk.img\n"), 0),
        ["PAX record length of 20 digits"] = () => PaxEntry(Encoding.ASCII.GetBytes("99999999999999999999 a=b\n"), 0),
        ["PAX record length not a number"] = () => PaxEntry(Encoding.ASCII.GetBytes("1x path=disk.img\n"), 0),
        ["PAX record without a space"] = () => PaxEntry(Encoding.ASCII.GetBytes("17path=disk.img\n"), 0),
        ["PAX record without '='"] = () => PaxEntry(Encoding.ASCII.GetBytes("8 abcde\n"), 0),
        ["PAX record with an empty key"] = () => PaxEntry(Encoding.ASCII.GetBytes("8 =abcd\n"), 0),
        ["PAX record not ending in a newline"] = () => PaxEntry(Encoding.ASCII.GetBytes("16 path=disk.imgX"), 0),
        ["PAX size not a number"] = () => PaxEntry(Pax(("size", "12ab")), 0),
        ["PAX size negative"] = () => PaxEntry(Pax(("size", "-1")), 0),
        ["PAX size past 2^63"] = () => PaxEntry(Pax(("size", "99999999999999999999")), 0),
        ["PAX size near 2^63"] = () => PaxEntry(Pax(("size", N(Near2To63))), 0),

        // PAX sparse 0.0 / 0.1.
        ["PAX 0.1 real size not a number"] = () => PaxEntry(Pax(("GNU.sparse.size", "lots"), ("GNU.sparse.map", "0,10")), 10),
        ["PAX 0.1 map with an odd count"] = () => PaxEntry(Pax(("GNU.sparse.size", "100"), ("GNU.sparse.map", "0,10,50")), 10),
        ["PAX 0.1 map with a negative size"] = () => PaxEntry(Pax(("GNU.sparse.size", "100"), ("GNU.sparse.map", "0,-10")), 10),
        ["PAX 0.1 map not numeric"] = () => PaxEntry(Pax(("GNU.sparse.size", "100"), ("GNU.sparse.map", "0,ten")), 10),
        ["PAX 0.1 map unsorted"] = () => PaxEntry(Pax(("GNU.sparse.size", "100"), ("GNU.sparse.map", "50,10,0,10")), 20),
        ["PAX 0.1 map overlapping"] = () => PaxEntry(Pax(("GNU.sparse.size", "100"), ("GNU.sparse.map", "0,30,20,30")), 60),
        ["PAX 0.1 map past the real size"] = () => PaxEntry(Pax(("GNU.sparse.size", "100"), ("GNU.sparse.map", "95,10")), 10),
        ["PAX 0.1 map not adding up to the stored size"] = () => PaxEntry(Pax(("GNU.sparse.size", "100"), ("GNU.sparse.map", "0,10")), 20),
        ["PAX 0.1 offset near 2^63"] = () => PaxEntry(Pax(("GNU.sparse.size", "100"), ("GNU.sparse.map", $"{N(Near2To63)},10")), 10),
        ["PAX 0.1 offset plus size overflowing"] = () => PaxEntry(Pax(("GNU.sparse.size", N(Near2To60)), ("GNU.sparse.map", $"{N(Near2To60 - 5)},10")), 10),
        ["PAX 0.1 real size near 2^63"] = () => PaxEntry(Pax(("GNU.sparse.size", N(Near2To63)), ("GNU.sparse.map", "0,10")), 10),
        ["PAX 0.1 region count not what is declared"] = () => PaxEntry(Pax(("GNU.sparse.size", "100"), ("GNU.sparse.numblocks", "3"), ("GNU.sparse.map", "0,10")), 10),
        ["PAX 0.0 offset without a size"] = () => PaxEntry(Pax(("GNU.sparse.size", "100"), ("GNU.sparse.offset", "0")), 10),

        // PAX sparse 1.0: the map opens the data.
        ["PAX 1.0 without a real size"] = () => PaxEntry(Pax(("GNU.sparse.major", "1"), ("GNU.sparse.minor", "0")), 512),
        ["PAX 1.0 of an unknown minor version"] = () => PaxEntry(Pax(("GNU.sparse.major", "1"), ("GNU.sparse.minor", "7"), ("GNU.sparse.realsize", "100")), 512),
        ["PAX 1.0 count not a number"] = () => PaxEntry(Pax(("GNU.sparse.major", "1"), ("GNU.sparse.minor", "0"), ("GNU.sparse.realsize", "100")), 512, Map("many\n")),
        ["PAX 1.0 count of a trillion"] = () => PaxEntry(Pax(("GNU.sparse.major", "1"), ("GNU.sparse.minor", "0"), ("GNU.sparse.realsize", "100")), 512, Map("1000000000000\n")),
        ["PAX 1.0 count near 2^63"] = () => PaxEntry(Pax(("GNU.sparse.major", "1"), ("GNU.sparse.minor", "0"), ("GNU.sparse.realsize", "100")), 512, Map($"{N(Near2To63)}\n")),
        ["PAX 1.0 map line that never ends"] = () => PaxEntry(Pax(("GNU.sparse.major", "1"), ("GNU.sparse.minor", "0"), ("GNU.sparse.realsize", "100")), 512, Map(new string('7', 500))),
        ["PAX 1.0 map longer than the stored data"] = () => PaxEntry(Pax(("GNU.sparse.major", "1"), ("GNU.sparse.minor", "0"), ("GNU.sparse.realsize", "100")), 512, Map("2\n0\n")),
        ["PAX 1.0 map past the real size"] = () => PaxEntry(Pax(("GNU.sparse.major", "1"), ("GNU.sparse.minor", "0"), ("GNU.sparse.realsize", "100")), 1024, Map("1\n90\n20\n", 1024)),
        ["PAX 1.0 offset near 2^60 with a real size of 2^60"] = () => PaxEntry(Pax(("GNU.sparse.major", "1"), ("GNU.sparse.minor", "0"), ("GNU.sparse.realsize", N(Near2To60))), 1024, Map($"1\n{N(Near2To60 - 1)}\n512\n", 1024)),
        ["PAX 1.0 negative value in the map"] = () => PaxEntry(Pax(("GNU.sparse.major", "1"), ("GNU.sparse.minor", "0"), ("GNU.sparse.realsize", "100")), 1024, Map("1\n-1\n10\n", 1024)),

        // Old GNU sparse ('S'), as tar -S writes.
        ["old GNU sparse offset negative (base-256 0xFF)"] = () => OldGnuSparse(100, [(Base256(-1, 0xFF), Octal(10))], storedSize: 10),
        ["old GNU sparse offset near 2^63 (base-256)"] = () => OldGnuSparse(100, [(Base256(Near2To63), Octal(10))], storedSize: 10),
        ["old GNU sparse real size near 2^63"] = () => OldGnuSparse(Base256(Near2To63), [(Octal(0), Octal(10))], storedSize: 10),
        ["old GNU sparse real size of 2^60, region past it"] = () => OldGnuSparse(Base256(Near2To60), [(Base256(Near2To60 - 1), Octal(10))], storedSize: 10),
        ["old GNU sparse regions overlapping"] = () => OldGnuSparse(100, [(Octal(0), Octal(20)), (Octal(10), Octal(20))], storedSize: 40),
        ["old GNU sparse regions unsorted"] = () => OldGnuSparse(100, [(Octal(50), Octal(10)), (Octal(0), Octal(10))], storedSize: 20),
        ["old GNU sparse region past the real size"] = () => OldGnuSparse(100, [(Octal(95), Octal(10))], storedSize: 10),
        ["old GNU sparse number field with letters"] = () => OldGnuSparse(100, [(Encoding.ASCII.GetBytes("0000000zz00\0"), Octal(10))], storedSize: 10),
        ["old GNU sparse extension promised but missing"] = () => OldGnuSparse(100, [(Octal(0), Octal(10))], storedSize: 10, extended: true, withData: false),

        // Header numbers and blocks.
        ["entry size of 12 base-256 bytes (past 2^63)"] = () => Concat(Header("disk.img", '0', Enumerable.Repeat((byte)0xFF, 12).Select((b, i) => i == 0 ? (byte)0x80 : b).ToArray()), End()),
        ["entry size near 2^63"] = () => Concat(Header("disk.img", '0', Base256(Near2To63)), End()),
        ["entry size negative (base-256 0xFF)"] = () => Concat(Header("disk.img", '0', Base256(-1, 0xFF)), End()),
        ["entry size not octal"] = () => Concat(Header("disk.img", '0', "00000009999\0"), End()),
        ["directory entry with a size near 2^63"] = () => Concat(Header("dir/", '5', Base256(Near2To63)), End()),
        ["long name entry of 2^60 bytes"] = () => Concat(Header("././@LongLink", 'L', Base256(Near2To60)), End()),
        ["header checksum wrong"] = () => { var header = Header("disk.img", '0', 0L); header[0] ^= 1; return Concat(header, End()); },
        ["stream ending inside a block"] = () => Header("disk.img", '0', 10L)[..300],
        ["stream ending inside the data"] = () => Concat(Header("disk.img", '0', 5000L), new byte[512]),
    };

    public static TheoryData<string> Malformed => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task A_malformed_tar_stream_ends_in_one_InvalidDataException(string malformation)
    {
        var read = () => ReadAllAsync(Cases[malformation]());

        var thrown = (await read.Should().ThrowAsync<Exception>()).Which;

        thrown.Should().BeOfType<InvalidDataException>("{0} must be reported as damaged data, not as {1}: {2}", malformation, thrown.GetType().Name, thrown.Message);
        thrown.Message.Should().NotContain("\n");
    }

    /// <summary>The same table inside a correctly signed and encrypted bundle, as VerifyBundle and UnbundleImage meet it.</summary>
    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task A_signed_bundle_holding_a_malformed_tar_is_one_failure_line_and_nothing_is_unbundled(string malformation)
    {
        using var scenario = new BundleScenario();
        var manifest = await SignedBundleAsync(scenario, Cases[malformation](), imageSize: 100);

        var verify = () => scenario.Bundler.VerifyAsync(scenario.KeyRequest(manifest), null, CancellationToken.None);
        var unbundle = () => scenario.Bundler.UnbundleAsync(scenario.KeyRequest(manifest), scenario.UnbundleDirectory, null, CancellationToken.None);

        foreach (var error in new[] { (await verify.Should().ThrowAsync<PipelineException>()).Which, (await unbundle.Should().ThrowAsync<PipelineException>()).Which })
        {
            error.Kind.Should().Be(PipelineErrorKind.Failure);
            error.Message.Should().NotContain("\n").And.Match("*'disk.img'*");
        }

        Directory.GetFileSystemEntries(scenario.UnbundleDirectory).Should().BeEmpty();
    }

    [Theory]
    [InlineData(1L << 62, "an image of 4 EiB, as the manifest says")]
    [InlineData((64L << 40) + 1, "an image one byte past 64 TiB")]
    public async Task An_image_larger_than_any_disk_is_refused_by_the_manifest_check(long size, string what)
    {
        using var scenario = new BundleScenario();
        var tar = OldGnuSparse(Base256(size), [(Octal(0), Octal(10))], storedSize: 10);
        var manifest = await SignedBundleAsync(scenario, tar, imageSize: size);

        var verify = () => scenario.Bundler.VerifyAsync(scenario.KeyRequest(manifest), null, CancellationToken.None);

        (await verify.Should().ThrowAsync<PipelineException>(what)).Which.Message.Should().Contain("<size>");
    }

    [Fact]
    public async Task An_image_larger_than_the_manifests_size_is_refused()
    {
        using var scenario = new BundleScenario();
        var tar = OldGnuSparse(1000, [(Octal(0), Octal(10))], storedSize: 10);
        var manifest = await SignedBundleAsync(scenario, tar, imageSize: 100);

        var verify = () => scenario.Bundler.VerifyAsync(scenario.KeyRequest(manifest), null, CancellationToken.None);

        (await verify.Should().ThrowAsync<PipelineException>()).WithMessage("The image in 'disk.img' is 1000 bytes but the manifest says 100*");
    }

    [Fact]
    public async Task A_well_formed_PAX_sparse_entry_of_the_same_shapes_reads()
    {
        var sink = new RecordingSink();

        await ReadAllAsync(PaxEntry(Pax(("GNU.sparse.size", "100"), ("GNU.sparse.map", "0,10,50,10")), 20, Enumerable.Repeat((byte)7, 20).ToArray()), sink);

        sink.Writes.Should().Equal((0L, 10), (50L, 10));
        sink.RealSize.Should().Be(100);
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static byte[] Map(string text, int size = 512)
    {
        var data = new byte[size];
        Encoding.ASCII.GetBytes(text).CopyTo(data, 0);
        return data;
    }

    private static byte[] OldGnuSparse(object realSize, (byte[] Offset, byte[] Size)[] regions, long storedSize, bool extended = false, bool withData = true)
    {
        var header = Header("disk.img", 'S', storedSize, block =>
        {
            for (var index = 0; index < regions.Length; index++)
            {
                regions[index].Offset.CopyTo(block.AsSpan(386 + (index * 24), 12));
                regions[index].Size.CopyTo(block.AsSpan(386 + (index * 24) + 12, 12));
            }

            block[482] = extended ? (byte)1 : (byte)0;
            (realSize is byte[] raw ? raw : Octal(Convert.ToInt64(realSize, CultureInfo.InvariantCulture))).CopyTo(block.AsSpan(483, 12));
        });
        return withData ? Concat(header, Data(new byte[storedSize]), End()) : header;
    }

    /// <summary>Gzips, encrypts and signs <paramref name="tar"/> as one part, with a manifest whose digest matches it.</summary>
    private static async Task<string> SignedBundleAsync(BundleScenario scenario, byte[] tar, long imageSize)
    {
        Directory.CreateDirectory(scenario.BundleDirectory);
        Directory.CreateDirectory(scenario.UnbundleDirectory);
        using var keyMaterial = BundleKeyMaterial.CreateRandom();
        var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(tar);
        }

        using var aes = keyMaterial.CreateCipher();
        var encrypted = aes.EncryptCbc(compressed.ToArray(), aes.IV, PaddingMode.PKCS7);
        var partPath = Path.Combine(scenario.BundleDirectory, "disk.img.part.0");
        await File.WriteAllBytesAsync(partPath, encrypted);

        using var certificate = PemCredentialLoader.LoadCertificate(scenario.Credentials.UserCertificatePath, "user");
        using var publicKey = certificate.GetRSAPublicKey()!;
        using var privateKey = PemCredentialLoader.LoadPrivateKey(scenario.Credentials.PrivateKeyPath, null);
        var manifest = new BundleManifest
        {
            Architecture = "x86_64",
            Name = "disk.img",
            User = "123456789012",
            ImageType = "machine",
            TarDigestSha1 = Convert.ToHexStringLower(SHA1.HashData(tar)),
            Size = imageSize,
            BundledSize = encrypted.Length,
            Ec2EncryptedKey = keyMaterial.WrapKey(publicKey),
            UserEncryptedKey = keyMaterial.WrapKey(publicKey),
            Ec2EncryptedIv = keyMaterial.WrapIv(publicKey),
            UserEncryptedIv = keyMaterial.WrapIv(publicKey),
            DeclaredPartCount = 1,
            Parts = [new ManifestPart(0, "disk.img.part.0", Convert.ToHexStringLower(SHA1.HashData(encrypted)))],
        };
        var manifestPath = Path.Combine(scenario.BundleDirectory, "disk.img.manifest.xml");
        await File.WriteAllTextAsync(manifestPath, ManifestWriter.Write(manifest, privateKey));
        return manifestPath;
    }

    private static async Task ReadAllAsync(byte[] tar, ITarDataSink? sink = null)
    {
        var reader = new TarArchiveReader(new MemoryStream(tar));
        while (await reader.NextFileEntryAsync(CancellationToken.None) is { } entry)
        {
            await reader.CopyEntryDataAsync(entry, sink ?? new DiscardingTarDataSink(), null, CancellationToken.None);
        }
    }

    private sealed class RecordingSink : ITarDataSink
    {
        public List<(long Offset, int Length)> Writes { get; } = [];

        public long RealSize { get; private set; }

        public ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            Writes.Add((offset, data.Length));
            return ValueTask.CompletedTask;
        }

        public ValueTask CompleteAsync(long realSize, CancellationToken cancellationToken)
        {
            RealSize = realSize;
            return ValueTask.CompletedTask;
        }
    }
}
