using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ImagePipeline.Abstractions;
using ImagePipeline.Testing.Images;

namespace ImagePipeline.Bundling.Tests;

public sealed class PreflightTests : IDisposable
{
    private readonly BundleScenario _scenario = new();

    public PreflightTests()
    {
        TestImages.WriteSparse(_scenario.ImagePath, 4 * TestImages.MiB, (0, 4096));
    }

    public void Dispose() => _scenario.Dispose();

    [Fact]
    public async Task A_sound_request_has_no_problems()
    {
        (await PreflightAsync(_scenario.Request())).Should().BeEmpty();
    }

    [Theory]
    [InlineData("12345678901")]
    [InlineData("1234-5678-901x")]
    [InlineData("")]
    public async Task An_account_id_that_is_not_12_digits_is_one_clear_problem(string accountId)
    {
        var problems = await PreflightAsync(_scenario.Request() with { AccountId = accountId });

        problems.Should().ContainSingle().Which.Should().Be($"The account id '{accountId}' is not 12 digits; pass your AWS account id, for example 123456789012.");
    }

    [Fact]
    public async Task An_unknown_architecture_is_one_clear_problem()
    {
        var problems = await PreflightAsync(_scenario.Request() with { Architecture = "amd64" });

        problems.Should().ContainSingle().Which.Should().Be("The architecture 'amd64' is not valid; pass one of x86_64, arm64, i386.");
    }

    [Fact]
    public async Task A_missing_image_is_one_clear_problem()
    {
        var problems = await PreflightAsync(_scenario.Request() with { ImagePath = _scenario.File("nope.img") });

        problems.Should().ContainSingle().Which.Should().StartWith("The image '").And.EndWith("nope.img' does not exist; pass the path of the raw disk image to bundle.");
    }

    [Fact]
    public async Task An_empty_image_is_one_clear_problem_and_bundling_refuses_it()
    {
        await File.WriteAllBytesAsync(_scenario.ImagePath, []);

        var problems = await PreflightAsync(_scenario.Request());
        var bundle = () => _scenario.BundleAsync();

        problems.Should().ContainSingle().Which.Should().EndWith("is empty; pass a raw disk image that holds a file system.");
        (await bundle.Should().ThrowAsync<PipelineException>()).Which.Kind.Should().Be(PipelineErrorKind.Input);
    }

    [Fact]
    public async Task A_key_that_does_not_match_the_certificate_is_one_clear_problem()
    {
        var (_, otherKey) = TestCredentials.WriteKeyPair(_scenario.Root, "other", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        var problems = await PreflightAsync(_scenario.Request() with { PrivateKeyPath = otherKey });

        problems.Should().ContainSingle().Which.Should().Contain("does not belong to the user certificate").And.EndWith("pass the key and certificate of the same key pair.");
    }

    [Fact]
    public async Task An_encrypted_key_without_a_passphrase_is_one_clear_problem()
    {
        var encrypted = WriteEncryptedPkcs8Key("secret-passphrase");

        var problems = await PreflightAsync(_scenario.Request() with { PrivateKeyPath = encrypted });

        problems.Should().ContainSingle().Which.Should().EndWith("is encrypted and no passphrase was given; pass the key's passphrase.");
    }

    [Fact]
    public async Task A_wrong_passphrase_is_one_clear_problem_that_does_not_reveal_it()
    {
        var encrypted = WriteEncryptedPkcs8Key("secret-passphrase");

        var problems = await PreflightAsync(_scenario.Request() with { PrivateKeyPath = encrypted, PrivateKeyPassphrase = "guessed-wrong" });

        problems.Should().ContainSingle().Which.Should().EndWith("could not be decrypted: the passphrase is wrong; pass the passphrase the key was encrypted with.")
            .And.NotContain("guessed-wrong").And.NotContain("secret-passphrase");
    }

    [Fact]
    public async Task An_expired_user_certificate_is_one_clear_problem()
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(await File.ReadAllTextAsync(_scenario.Credentials.PrivateKeyPath));
        var request = new CertificateRequest("CN=expired", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var expired = request.CreateSelfSigned(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var path = _scenario.File("cert-expired.pem");
        await File.WriteAllTextAsync(path, expired.ExportCertificatePem());

        var problems = await PreflightAsync(_scenario.Request() with { UserCertificatePath = path });

        problems.Should().ContainSingle().Which.Should().Contain("expired on 2021-01-01").And.EndWith("create or upload a current certificate and pass it.");
    }

    [Fact]
    public async Task A_user_certificate_without_an_RSA_key_is_reported()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=ec", ecdsa, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = _scenario.File("cert-ec.pem");
        await File.WriteAllTextAsync(path, certificate.ExportCertificatePem());

        var problems = await PreflightAsync(_scenario.Request() with { UserCertificatePath = path });

        problems.Should().ContainSingle().Which.Should().EndWith("does not hold an RSA key; bundles need an RSA certificate, so use the one issued with your RSA key pair.");
    }

    [Fact]
    public async Task A_certificate_that_does_not_parse_is_one_clear_problem()
    {
        var path = _scenario.File("cert-garbage.pem");
        await File.WriteAllTextAsync(path, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");

        var problems = await PreflightAsync(_scenario.Request() with { Ec2CertificatePath = path });

        problems.Should().ContainSingle().Which.Should().Be($"The EC2 certificate '{path}' is not a valid X.509 certificate; pass a PEM file that begins with '-----BEGIN CERTIFICATE-----'.");
    }

    [Fact]
    public async Task A_missing_EC2_certificate_is_one_clear_problem()
    {
        var problems = await PreflightAsync(_scenario.Request() with { Ec2CertificatePath = "/etc/ec2/amitools/none.pem" });

        problems.Should().ContainSingle().Which.Should().Be("The EC2 certificate '/etc/ec2/amitools/none.pem' does not exist; pass the path of the PEM certificate file.");
    }

    [Fact]
    public async Task A_destination_that_is_a_file_is_one_clear_problem()
    {
        var path = _scenario.File("occupied");
        await File.WriteAllTextAsync(path, "x");

        var problems = await PreflightAsync(_scenario.Request() with { DestinationDirectory = Path.Combine(path, "bundle") });

        problems.Should().ContainSingle().Which.Should().Be($"The destination '{Path.Combine(path, "bundle")}' is a file; pass a directory.");
    }

    [Fact]
    public async Task A_bundle_name_with_a_path_separator_is_one_clear_problem()
    {
        var problems = await PreflightAsync(_scenario.Request() with { Name = "../escape" });

        problems.Should().ContainSingle().Which.Should().Contain("contains a path separator");
    }

    [Fact]
    public async Task Several_problems_are_each_reported()
    {
        var problems = await PreflightAsync(_scenario.Request() with { AccountId = "1", Architecture = "sparc", ImagePath = _scenario.File("nope.img") });

        problems.Should().HaveCount(3);
    }

    private Task<IReadOnlyList<string>> PreflightAsync(BundleRequest request) =>
        _scenario.Bundler.PreflightAsync(request, CancellationToken.None);

    private string WriteEncryptedPkcs8Key(string passphrase)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(_scenario.Credentials.PrivateKeyPath));
        var path = _scenario.File("pk-encrypted.pem");
        TestCredentials.WriteSecret(path, rsa.ExportEncryptedPkcs8PrivateKeyPem(passphrase, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000)));
        return path;
    }
}
