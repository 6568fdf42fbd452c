using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using ImagePipeline.Host;
using ImagePipeline.LocalCloud;

namespace ImagePipeline.Build.Tests;

public sealed class OfflineBakeTests : IDisposable
{
    private readonly HostSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task The_offline_bake_registers_an_image_with_no_parameters_and_works_twice()
    {
        var first = await _sandbox.RunAsync("RegisterImage", "--poll-delay", "0.2", "--output-json", "first.json");
        var second = await _sandbox.RunAsync("RegisterImage", "--poll-delay", "0.2", "--output-json", "second.json");

        first.ExitCode.Should().Be(ExitCode.Success, first.All);
        second.ExitCode.Should().Be(ExitCode.Success, second.All);
        var firstImage = ImageIdIn("first.json");
        var secondImage = ImageIdIn("second.json");
        firstImage.Should().StartWith("ami-").And.NotBe(secondImage);
        first.Output.Should().Contain($"succeeded in the LOCAL CLOUD, not in AWS: image {firstImage}");
        first.Output.Should().MatchRegex(@"\nLaunchInstance +not applicable +0:00\.00 +the run bundles --image-file ", "the summary lists the two targets before the strategy's with their reasons")
            .And.MatchRegex(@"\nProvisionInstance +not applicable +0:00\.00 +nothing to run: no --provision-script or --provision-file");
        Directory.EnumerateFiles(Path.Combine(_sandbox.Root, ".nuke", "temp", "runs"), "*.part.*", SearchOption.AllDirectories)
            .Should().BeEmpty("once the image is registered, the run's own bundle is removed so runs in a row do not pile up parts");

        // The local cloud keeps its state between runs: both images are still registered, from their manifests.
        await using var cloud = await LocalCloudServer.StartAsync(new LocalCloudOptions { DataDirectory = Path.Combine(_sandbox.Root, ".nuke", "temp", "localcloud") });
        using var ec2 = new AmazonEC2Client(
            new BasicAWSCredentials(LocalCloudAccounts.AccessKeyId, LocalCloudAccounts.SecretAccessKey),
            new AmazonEC2Config { ServiceURL = cloud.Endpoint.ToString(), AuthenticationRegion = "us-east-1" });
        var images = (await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"] })).Images;
        images.Select(image => image.ImageId).Should().BeEquivalentTo([firstImage, secondImage]);
        images.Should().OnlyContain(image => image.ImageLocation.StartsWith("imagepipeline-demo-bundles/", StringComparison.Ordinal) && image.Architecture == ArchitectureValues.X86_64);
    }

    [Fact]
    public async Task Demo_keys_are_private_to_the_user_and_named_as_demo_material()
    {
        var run = await _sandbox.RunAsync("Validate");

        run.ExitCode.Should().Be(ExitCode.Success, run.All);
        var key = Path.Combine(_sandbox.Root, ".nuke", "temp", "demo", "DEMO-ONLY-user-key.pem");
        File.GetUnixFileMode(key).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task A_plan_of_the_demo_writes_no_demo_material_and_its_json_names_every_step()
    {
        var run = await _sandbox.RunAsync("RegisterImage", "--plan", "--output-json", "plan.json");

        run.ExitCode.Should().Be(ExitCode.Success, run.All);
        Directory.Exists(Path.Combine(_sandbox.Root, ".nuke", "temp", "demo")).Should().BeFalse("a plan runs nothing and writes nothing but the plan");
        var plan = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(_sandbox.Root, "plan.json")))!;
        plan["strategy"]!.GetValue<string>().Should().Be("instance-store/linux");
        plan["targets"]!.AsArray().Select(target => target!["target"]!.GetValue<string>())
            .Should().Equal("LaunchInstance", "ProvisionInstance", "PrepareBucket", "CopyCertificates", "BundleVolume", "UploadBundle", "RegisterImage");
        plan["targets"]![6]!["steps"]!.AsArray().Should().NotBeEmpty();
    }

    [Fact]
    public async Task Two_demo_bakes_ask_for_different_image_names_even_in_the_same_second()
    {
        var first = await _sandbox.RunAsync("RegisterImage", "--plan", "--output-json", "first.json");
        var second = await _sandbox.RunAsync("RegisterImage", "--plan", "--output-json", "second.json");

        first.ExitCode.Should().Be(ExitCode.Success, first.All);
        second.ExitCode.Should().Be(ExitCode.Success, second.All);
        string NameIn(string file) => System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(_sandbox.Root, file)))!["parameters"]!["ami-name"]!.GetValue<string>();
        NameIn("first.json").Should().StartWith("imagepipeline-demo-{timestamp}-").And.NotBe(NameIn("second.json"));
    }

    [Fact]
    public async Task A_canary_secret_never_reaches_the_console_the_output_file_the_run_state_or_any_file_left_behind()
    {
        const string Canary = "CANARY-passphrase-7d1f0c3b";
        var (certificate, key) = WriteEncryptedKeyPair(Canary);

        var run = await _sandbox.RunAsync(
            "RegisterImage", "--poll-delay", "0.2", "--verbose",
            "--x509-cert-path", certificate, "--x509-key-path", key, "--x509-key-passphrase", Canary,
            "--output-json", "summary.json");

        run.ExitCode.Should().Be(ExitCode.Success, run.All);
        run.All.Should().NotContain(Canary);
        foreach (var file in Directory.EnumerateFiles(_sandbox.Root, "*", SearchOption.AllDirectories))
        {
            File.ReadAllText(file).Should().NotContain(Canary, $"{file} must not hold the secret");
        }
    }

    [Fact]
    public async Task Resuming_with_changed_parameters_exits_2_and_names_them()
    {
        File.WriteAllText(Path.Combine(_sandbox.Root, ".nuke", "parameters.json"), """{ "poll-delay": 0.2 }""");
        var first = await _sandbox.RunAsync("BundleVolume", "--architecture", "x86_64");
        first.ExitCode.Should().Be(ExitCode.Success, first.All);

        var resumed = await _sandbox.RunAsync("RegisterImage", "--resume", "--architecture", "arm64");

        resumed.ExitCode.Should().Be(ExitCode.UsageError);
        resumed.Error.Should().Contain("--architecture was 'x86_64', now 'arm64'");
    }

    [Fact]
    public async Task A_run_resumed_towards_a_later_target_skips_what_it_already_did()
    {
        File.WriteAllText(Path.Combine(_sandbox.Root, ".nuke", "parameters.json"), """{ "poll-delay": 0.2 }""");
        var first = await _sandbox.RunAsync("BundleVolume");
        first.ExitCode.Should().Be(ExitCode.Success, first.All);

        var resumed = await _sandbox.RunAsync("RegisterImage", "--resume");

        resumed.ExitCode.Should().Be(ExitCode.Success, resumed.All);
        resumed.Output.Should().MatchRegex(@"BundleVolume\s+resumed");
        resumed.Output.Should().MatchRegex(@"RegisterImage\s+succeeded");
    }

    [Theory]
    [InlineData("PrepareBucket")]
    [InlineData("CopyCertificates")]
    [InlineData("BundleVolume")]
    [InlineData("UploadBundle")]
    [InlineData("RegisterImage")]
    public async Task Cancelling_during_any_target_runs_the_cleanups_and_exits_130(string target)
    {
        using var cancellation = new CancellationTokenSource();
        using var output = new CancelOnText(cancellation, "╬═══ " + target);
        var run = await _sandbox.RunAsync(output, ["RegisterImage", "--poll-delay", "0.2"], cancellation.Token);

        run.ExitCode.Should().Be(ExitCode.Cancelled, run.All);
        run.Output.Should().Contain("Cleanup").And.Contain($"Run ").And.Contain("was cancelled");
        Directory.EnumerateDirectories(Path.Combine(_sandbox.Root, ".nuke", "temp", "runs"), "x509-*", SearchOption.AllDirectories)
            .Should().BeEmpty("staged keys are removed on cancellation");
    }

    private string ImageIdIn(string outputFile)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_sandbox.Root, outputFile)));
        return json.RootElement.GetProperty("outputs").GetProperty("image-id").GetString()!;
    }

    private (string Certificate, string Key) WriteEncryptedKeyPair(string passphrase)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=canary", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var certificatePath = Path.Combine(_sandbox.Root, "canary-cert.pem");
        var keyPath = Path.Combine(_sandbox.Root, "canary-key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportEncryptedPkcs8PrivateKeyPem(passphrase, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000)));
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (certificatePath, keyPath);
    }

    /// <summary>A console that presses Ctrl+C the moment a given text is printed.</summary>
    private sealed class CancelOnText(CancellationTokenSource cancellation, string trigger) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.Contains(trigger, StringComparison.Ordinal) == true)
            {
                cancellation.Cancel();
            }
        }
    }
}
