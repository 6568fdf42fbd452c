using System.Text.Json;
using ImagePipeline.Host;

namespace ImagePipeline.Build.Tests;

/// <summary>VerifyBundle and UnbundleImage from the host, on a bundle the host made.</summary>
public sealed class BundleToolsTests : IDisposable
{
    private readonly HostSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task A_bundle_made_by_the_host_verifies_unbundles_to_the_same_image_and_a_flipped_byte_is_named()
    {
        File.WriteAllText(Path.Combine(_sandbox.Root, ".nuke", "parameters.json"), """{ "poll-delay": 0.2 }""");
        var bundled = await _sandbox.RunAsync("BundleVolume", "--bundle-destination", Path.Combine(_sandbox.Root, "out"), "--bundle-prefix", "demo", "--output-json", "bundle.json");
        bundled.ExitCode.Should().Be(ExitCode.Success, bundled.All);
        var demo = Path.Combine(_sandbox.Root, ".nuke", "temp", "demo");
        var manifest = ManifestPath();
        string[] keys = ["--x509-key-path", Path.Combine(demo, "DEMO-ONLY-user-key.pem"), "--x509-cert-path", Path.Combine(demo, "DEMO-ONLY-user-cert.pem")];

        var verified = await _sandbox.RunAsync(["VerifyBundle", "--manifest", manifest, .. keys]);
        var unbundled = await _sandbox.RunAsync(["UnbundleImage", "--manifest", manifest, "--unbundle-destination", Path.Combine(_sandbox.Root, "restored"), .. keys]);

        verified.ExitCode.Should().Be(ExitCode.Success, verified.All);
        verified.Output.Should().Contain("Bundle demo is intact").And.Contain("signature checked");
        unbundled.ExitCode.Should().Be(ExitCode.Success, unbundled.All);
        File.ReadAllBytes(Path.Combine(_sandbox.Root, "restored", "demo")).Should().Equal(File.ReadAllBytes(Path.Combine(demo, "demo-disk.img")));

        var part = Directory.GetFiles(Path.GetDirectoryName(manifest)!, "demo.part.*").Order(StringComparer.Ordinal).First();
        var bytes = File.ReadAllBytes(part);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(part, bytes);
        var tampered = await _sandbox.RunAsync(["VerifyBundle", "--manifest", manifest, .. keys]);

        tampered.ExitCode.Should().NotBe(ExitCode.Success);
        tampered.Error.Should().Contain(Path.GetFileName(part));
        tampered.Error.Should().NotContain("   at ");
    }

    /// <summary>Each refusal of the bundle tools is one error line with its exit code, and the user's file is untouched.</summary>
    [Fact]
    public async Task A_forged_manifest_is_exit_1_and_an_existing_image_needs_overwrite()
    {
        File.WriteAllText(Path.Combine(_sandbox.Root, ".nuke", "parameters.json"), """{ "poll-delay": 0.2 }""");
        var bundled = await _sandbox.RunAsync("BundleVolume", "--bundle-destination", Path.Combine(_sandbox.Root, "out"), "--bundle-prefix", "demo", "--output-json", "bundle.json");
        bundled.ExitCode.Should().Be(ExitCode.Success, bundled.All);
        var demo = Path.Combine(_sandbox.Root, ".nuke", "temp", "demo");
        var manifest = ManifestPath();
        string[] keys = ["--x509-key-path", Path.Combine(demo, "DEMO-ONLY-user-key.pem"), "--x509-cert-path", Path.Combine(demo, "DEMO-ONLY-user-cert.pem")];
        var restored = Directory.CreateDirectory(Path.Combine(_sandbox.Root, "restored")).FullName;
        var existing = Path.Combine(restored, "demo");
        File.WriteAllText(existing, "the user's own file");

        // The forgery: the genuine signed fragments in a comment, another <size> where the parser reads.
        var text = File.ReadAllText(manifest);
        var signed = text[text.IndexOf("<machine_configuration>", StringComparison.Ordinal)..(text.IndexOf("</image>", StringComparison.Ordinal) + "</image>".Length)];
        var forged = Path.Combine(Path.GetDirectoryName(manifest)!, "forged.manifest.xml");
        File.WriteAllText(forged, text.Replace("<manifest>", "<manifest><!--" + signed + "-->", StringComparison.Ordinal).Replace("<size>", "<size>1", StringComparison.Ordinal));
        var forgedVerify = await _sandbox.RunAsync(["VerifyBundle", "--manifest", forged, .. keys]);
        var refused = await _sandbox.RunAsync(["UnbundleImage", "--manifest", manifest, "--unbundle-destination", restored, .. keys]);
        var contentBefore = File.ReadAllText(existing);
        var overwritten = await _sandbox.RunAsync(["UnbundleImage", "--manifest", manifest, "--unbundle-destination", restored, "--overwrite", .. keys]);

        forgedVerify.ExitCode.Should().Be(ExitCode.TargetFailed, forgedVerify.All);
        forgedVerify.Error.Trim().Should().StartWith("error: The manifest").And.Contain("comment").And.NotContain("\n");
        refused.ExitCode.Should().Be(ExitCode.UsageError, refused.All);
        refused.Error.Trim().Should().Be($"error: The destination already holds '{existing}'; pass --overwrite to replace it, or another --unbundle-destination.");
        contentBefore.Should().Be("the user's own file");
        overwritten.ExitCode.Should().Be(ExitCode.Success, overwritten.All);
        File.ReadAllBytes(existing).Should().Equal(File.ReadAllBytes(Path.Combine(demo, "demo-disk.img")));
        Directory.GetFileSystemEntries(restored).Should().Equal(existing);
    }

    private string ManifestPath()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_sandbox.Root, "bundle.json")));
        var folder = json.RootElement.GetProperty("outputs").GetProperty("bundle-directory").GetString()!;
        return Path.Combine(folder, "demo.manifest.xml");
    }
}
