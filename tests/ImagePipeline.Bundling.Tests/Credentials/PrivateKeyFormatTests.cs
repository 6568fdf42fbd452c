using ImagePipeline.Testing.Images;

namespace ImagePipeline.Bundling.Tests.Credentials;

/// <summary>The user's key may come as PKCS#1 or PKCS#8, plain or encrypted, as openssl writes them.</summary>
public sealed class PrivateKeyFormatTests
{
    [Theory]
    [InlineData("PKCS#1", "openssl rsa -in pk-user.pem -traditional -out converted.pem", null)]
    [InlineData("encrypted PKCS#8", "openssl pkcs8 -topk8 -in pk-user.pem -v2 aes-256-cbc -passout pass:correct-horse -out converted.pem", "correct-horse")]
    [InlineData("legacy encrypted PKCS#1 (AES)", "openssl rsa -in pk-user.pem -traditional -aes128 -passout pass:correct-horse -out converted.pem", "correct-horse")]
    [InlineData("legacy encrypted PKCS#1 (3DES)", "openssl rsa -in pk-user.pem -traditional -des3 -passout pass:correct-horse -out converted.pem", "correct-horse")]
    public async Task A_key_in_any_common_PEM_form_bundles_and_unbundles(string form, string conversion, string? passphrase)
    {
        using var scenario = new BundleScenario();
        ShellCommand.Run(conversion, scenario.Root);
        var keyPath = scenario.File("converted.pem");
        TestImages.WriteRandom(scenario.ImagePath, 20_000);
        var request = scenario.Request() with { PrivateKeyPath = keyPath, PrivateKeyPassphrase = passphrase };

        (await scenario.Bundler.PreflightAsync(request, CancellationToken.None)).Should().BeEmpty(form);
        var result = await scenario.BundleAsync(request);
        var restored = await scenario.Bundler.UnbundleAsync(
            scenario.KeyRequest(result.ManifestPath) with { PrivateKeyPath = keyPath, PrivateKeyPassphrase = passphrase },
            scenario.UnbundleDirectory,
            null,
            CancellationToken.None);

        ImageAssertions.Sha256(restored).Should().Be(ImageAssertions.Sha256(scenario.ImagePath), form);
    }

    [Fact]
    public async Task A_wrong_passphrase_for_a_legacy_encrypted_key_is_reported_as_such()
    {
        using var scenario = new BundleScenario();
        ShellCommand.Run("openssl rsa -in pk-user.pem -traditional -aes128 -passout pass:right -out legacy.pem", scenario.Root);
        TestImages.WriteRandom(scenario.ImagePath, 100);

        var problems = await scenario.Bundler.PreflightAsync(
            scenario.Request() with { PrivateKeyPath = scenario.File("legacy.pem"), PrivateKeyPassphrase = "wrong" },
            CancellationToken.None);

        problems.Should().ContainSingle().Which.Should().Contain("the passphrase is wrong");
    }
}
