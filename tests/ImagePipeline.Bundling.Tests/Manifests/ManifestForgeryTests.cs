using System.Security.Cryptography;
using System.Text;
using ImagePipeline.Abstractions;
using ImagePipeline.Bundling.Manifests;
using ImagePipeline.Testing.Images;

namespace ImagePipeline.Bundling.Tests.Manifests;

/// <summary>
/// Signature wrapping: manifests built from one genuine signed manifest and the victim's public certificate only, each
/// placing the genuine signed text where some parser would skip it, or making the text readable two ways. Every one is
/// refused by VerifyBundle and UnbundleImage, as a failure (exit 1) in one line, and nothing is unbundled.
/// </summary>
public sealed class ManifestForgeryTests(ForgeryKit kit) : IClassFixture<ForgeryKit>
{
    private const string Declaration = "<?xml version='1.0'?>";

    /// <summary>Case name → the forged manifest's bytes.</summary>
    public static TheoryData<string> Forgeries => new(Cases.Keys);

    private static readonly Dictionary<string, Func<ForgeryKit, byte[]>> Cases = new()
    {
        // The issue's example: the parser skips the comment, the signature check read from it.
        ["genuine fragments in a comment before the root"] = k => Manifest($"{Declaration}<!--{k.GenuineMachine}{k.GenuineImage}-->{Body(k)}{k.GenuineMachine}{k.ForgedImage}{k.SignatureElement}</manifest>"),
        ["genuine fragments in a comment inside the root"] = k => Manifest($"{k.Head}<!--{k.GenuineMachine}{k.GenuineImage}-->{k.GenuineMachine}{k.ForgedImage}{k.SignatureElement}</manifest>"),
        ["genuine fragments in a comment after the root"] = k => Manifest($"{k.Head}{k.GenuineMachine}{k.ForgedImage}{k.SignatureElement}</manifest><!--{k.GenuineMachine}{k.GenuineImage}-->"),
        ["genuine fragments in a processing instruction"] = k => Manifest($"{k.Head}<?hidden {k.GenuineMachine}{k.GenuineImage}?>{k.GenuineMachine}{k.ForgedImage}{k.SignatureElement}</manifest>"),
        ["genuine fragments in a CDATA section"] = k => Manifest(k.Head.Replace("<bundler><name>", $"<bundler><name><![CDATA[{k.GenuineMachine}{k.GenuineImage}]]>", StringComparison.Ordinal) + $"{k.GenuineMachine}{k.ForgedImage}{k.SignatureElement}</manifest>"),
        ["genuine fragments in a DTD entity"] = k => Manifest($"{Declaration}<!DOCTYPE manifest [<!ENTITY hidden '{k.GenuineMachine}{k.GenuineImage}'>]>{Body(k)}{k.GenuineMachine}{k.ForgedImage}{k.SignatureElement}</manifest>"),
        ["a DOCTYPE with an external entity"] = k => Manifest($"{Declaration}<!DOCTYPE manifest SYSTEM 'file:///etc/passwd'>{k.GenuineText[Declaration.Length..]}"),
        ["genuine fragments in an unknown element"] = k => Manifest($"{k.Head}<hidden>{k.GenuineMachine}{k.GenuineImage}</hidden>{k.GenuineMachine}{k.ForgedImage}{k.SignatureElement}</manifest>"),
        ["genuine fragments in a namespaced element"] = k => Manifest($"{k.Head}<x:hidden xmlns:x=\"urn:x\">{k.GenuineMachine}{k.GenuineImage}</x:hidden>{k.GenuineMachine}{k.ForgedImage}{k.SignatureElement}</manifest>"),
        ["genuine fragments inside <bundler>"] = k => Manifest(k.Head.Replace("</bundler>", $"{k.GenuineMachine}{k.GenuineImage}</bundler>", StringComparison.Ordinal) + $"{k.GenuineMachine}{k.ForgedImage}{k.SignatureElement}</manifest>"),
        ["an <image> inside <machine_configuration>"] = k => Manifest($"{k.Head}{k.GenuineMachine.Replace("</machine_configuration>", k.ForgedImage + "</machine_configuration>", StringComparison.Ordinal)}{k.GenuineImage}{k.SignatureElement}</manifest>"),
        ["two <image> elements, the genuine first"] = k => Manifest($"{k.Head}{k.GenuineMachine}{k.GenuineImage}{k.ForgedImage}{k.SignatureElement}</manifest>"),
        ["two <image> elements, the forged first"] = k => Manifest($"{k.Head}{k.GenuineMachine}{k.ForgedImage}{k.GenuineImage}{k.SignatureElement}</manifest>"),
        ["two <machine_configuration> elements"] = k => Manifest($"{k.Head}{k.GenuineMachine}{k.GenuineMachine.Replace("x86_64", "i386", StringComparison.Ordinal)}{k.GenuineImage}{k.SignatureElement}</manifest>"),
        ["a duplicated <signature>"] = k => Manifest($"{k.Head}{k.GenuineMachine}{k.GenuineImage}{k.SignatureElement}<signature>00</signature></manifest>"),
        ["a case variant <IMAGE> beside the genuine <image>"] = k => Manifest($"{k.Head}{k.GenuineMachine}{k.GenuineImage}{k.ForgedImage.Replace("<image>", "<IMAGE>", StringComparison.Ordinal).Replace("</image>", "</IMAGE>", StringComparison.Ordinal)}{k.SignatureElement}</manifest>"),
        ["an attribute on <image>"] = k => Manifest($"{k.Head}{k.GenuineMachine}{k.GenuineImage.Replace("<image>", "<image role=\"genuine\">", StringComparison.Ordinal)}{k.SignatureElement}</manifest>"),
        ["<image > written with a space, genuine text in a comment"] = k => Manifest($"{k.Head}<!--{k.GenuineImage}-->{k.GenuineMachine}{k.ForgedImage.Replace("<image>", "<image >", StringComparison.Ordinal)}{k.SignatureElement}</manifest>"),
        ["a default namespace on the root"] = k => Manifest(k.GenuineText.Replace("<manifest>", "<manifest xmlns=\"urn:x\">", StringComparison.Ordinal)),
        ["an undefined attribute on the root"] = k => Manifest(k.GenuineText.Replace("<manifest>", "<manifest xml:space=\"preserve\">", StringComparison.Ordinal)),
        ["text beside the elements"] = k => Manifest(k.GenuineText.Replace("<machine_configuration>", "forged<machine_configuration>", StringComparison.Ordinal)),
        ["a character reference outside the signed text"] = k => Manifest(k.GenuineText.Replace("<version>2007-10-10</version>", "<version>2007&#45;10-10</version>", StringComparison.Ordinal)),
        ["a byte-order mark"] = k => [.. Encoding.UTF8.Preamble, .. Manifest(k.GenuineText)],
        ["a UTF-16 encoding declaration"] = k => Manifest(k.GenuineText.Replace(Declaration, "<?xml version='1.0' encoding='UTF-16'?>", StringComparison.Ordinal)),
        ["the whole manifest in UTF-16"] = k => Encoding.Unicode.GetBytes(k.GenuineText.Replace(Declaration, "<?xml version='1.0' encoding='UTF-16'?>", StringComparison.Ordinal)),
        ["a standalone declaration"] = k => Manifest(k.GenuineText.Replace(Declaration, "<?xml version='1.0' standalone='yes'?>", StringComparison.Ordinal)),
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_forged_manifest_is_refused_in_one_line_and_nothing_is_unbundled(string forgery)
    {
        var manifest = kit.WriteManifest(Slug(forgery), Cases[forgery](kit));
        var destination = Path.Combine(kit.Victim.Root, "restored-" + Slug(forgery));

        var verify = () => kit.Victim.Bundler.VerifyAsync(kit.Victim.KeyRequest(manifest), null, CancellationToken.None);
        var unbundle = () => kit.Victim.Bundler.UnbundleAsync(kit.Victim.KeyRequest(manifest), destination, null, CancellationToken.None);

        var verifyError = (await verify.Should().ThrowAsync<PipelineException>()).Which;
        var unbundleError = (await unbundle.Should().ThrowAsync<PipelineException>()).Which;
        foreach (var error in new[] { verifyError, unbundleError })
        {
            error.Kind.Should().Be(PipelineErrorKind.Failure, "a forged bundle is a failure (exit 1), not a usage error");
            error.Message.Should().NotContain("\n").And.Match("The manifest * is not a valid bundle manifest: *");
        }

        (Directory.Exists(destination) ? Directory.GetFileSystemEntries(destination) : []).Should().BeEmpty("nothing is unbundled from a forged manifest");
    }

    [Fact]
    public async Task The_genuine_manifest_verifies_and_unbundles_so_the_refusals_are_the_forgeries_own()
    {
        var manifest = kit.WriteManifest("genuine-copy", Manifest(kit.GenuineText));
        var destination = Path.Combine(kit.Victim.Root, "restored-genuine");

        var verified = await kit.Victim.Bundler.VerifyAsync(kit.Victim.KeyRequest(manifest), null, CancellationToken.None);
        var image = await kit.Victim.Bundler.UnbundleAsync(kit.Victim.KeyRequest(manifest), destination, null, CancellationToken.None);

        verified.Name.Should().Be("disk.img");
        ImageAssertions.Sha256(image).Should().Be(ImageAssertions.Sha256(kit.Victim.ImagePath));
    }

    [Fact]
    public async Task The_forged_payload_is_a_working_bundle_for_the_victims_key_so_only_the_manifest_checks_stop_it()
    {
        // What the victim's own key would make of the forged <image>: it opens, and it is the attacker's image.
        using var victimKey = RSA.Create();
        victimKey.ImportFromPem(await File.ReadAllTextAsync(kit.Victim.Credentials.PrivateKeyPath));
        var signed = ManifestSignature.Sign(victimKey, kit.GenuineMachine + kit.ForgedImage);
        var manifest = kit.WriteManifest("control", Manifest($"{kit.Head}{kit.GenuineMachine}{kit.ForgedImage}<signature>{signed}</signature></manifest>"));

        var image = await kit.Victim.Bundler.UnbundleAsync(kit.Victim.KeyRequest(manifest), Path.Combine(kit.Victim.Root, "restored-control"), null, CancellationToken.None);

        ImageAssertions.Sha256(image).Should().Be(kit.AttackerPayloadSha256);
    }

    [Fact]
    public async Task Whitespace_between_the_top_level_elements_is_not_a_second_reading()
    {
        var spaced = kit.GenuineText
            .Replace("<machine_configuration>", "\n  <machine_configuration>", StringComparison.Ordinal)
            .Replace("<signature>", "\n  <signature>", StringComparison.Ordinal)
            .Replace("</manifest>", "\n</manifest>\n", StringComparison.Ordinal);
        var manifest = kit.WriteManifest("spaced", Manifest(spaced));

        var verified = await kit.Victim.Bundler.VerifyAsync(kit.Victim.KeyRequest(manifest), null, CancellationToken.None);

        verified.Name.Should().Be("disk.img");
    }

    [Fact]
    public async Task A_name_with_escaped_characters_is_read_from_the_signed_text_as_XML_means_it()
    {
        using var scenario = new BundleScenario();
        TestImages.WriteRandom(scenario.ImagePath, 3000);
        var result = await scenario.BundleAsync(scenario.Request("a&b<c>'d\".img"));

        var verified = await scenario.Bundler.VerifyAsync(scenario.KeyRequest(result.ManifestPath), null, CancellationToken.None);
        var image = await scenario.Bundler.UnbundleAsync(scenario.KeyRequest(result.ManifestPath), scenario.UnbundleDirectory, null, CancellationToken.None);

        (await File.ReadAllTextAsync(result.ManifestPath)).Should().Contain("<name>a&amp;b&lt;c&gt;&apos;d&quot;.img</name>");
        verified.Name.Should().Be("a&b<c>'d\".img");
        Path.GetFileName(image).Should().Be("a&b<c>'d\".img");
    }

    private static string Body(ForgeryKit kit) => kit.Head[Declaration.Length..];

    private static byte[] Manifest(string text) => ForgeryKit.Utf8(text);

    private static string Slug(string name) => new(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
}
