using System.Text.Json;
using ImagePipeline.Build.Host;

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

    private string ManifestPath()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_sandbox.Root, "bundle.json")));
        var folder = json.RootElement.GetProperty("outputs").GetProperty("bundle-directory").GetString()!;
        return Path.Combine(folder, "demo.manifest.xml");
    }
}
