using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using ImagePipeline.Host;
using ImagePipeline.LocalCloud;

namespace ImagePipeline.Build.Tests;

/// <summary>
/// Bad input, table-driven: every case ends with one clear line saying what is wrong, exit code 2, no stack trace,
/// and nothing created in the cloud.
/// </summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private readonly HostSandbox _sandbox = new();
    private LocalCloudServer _cloud = null!;
    private TestKeyMaterial _keys = null!;

    public static TheoryData<string, string[], string> Cases => new()
    {
        { "missing certificate", ["RegisterImage", "--x509-cert-path", "{dir}/nope.pem"], "nope.pem" },
        { "certificate is not PEM", ["RegisterImage", "--x509-cert-path", "{not-pem}"], "not-pem.pem" },
        { "missing key", ["RegisterImage", "--x509-key-path", "{dir}/no-key.pem"], "no-key.pem" },
        { "unreadable key (a folder)", ["RegisterImage", "--x509-key-path", "{dir}"], "key" },
        { "key does not match the certificate", ["RegisterImage", "--x509-key-path", "{other-key}"], "does not belong to the user certificate" },
        { "encrypted key without passphrase", ["RegisterImage", "--x509-key-path", "{encrypted-key}"], "passphrase" },
        { "encrypted key with a wrong passphrase", ["RegisterImage", "--x509-key-path", "{encrypted-key}", "--x509-key-passphrase", "wrong-passphrase"], "passphrase" },
        { "expired certificate", ["RegisterImage", "--x509-cert-path", "{expired-cert}"], "expired" },
        { "certificate that is not RSA", ["RegisterImage", "--x509-cert-path", "{ecdsa-cert}", "--x509-key-path", "{ecdsa-key}"], "RSA" },
        { "missing EC2 certificate", ["RegisterImage", "--ec2-cert-path", "{dir}/no-ec2.pem"], "no-ec2.pem" },
        { "account id of 11 digits", ["RegisterImage", "--account-id", "1234-5678-901"], "12 digits" },
        { "account id with letters", ["RegisterImage", "--account-id", "12345678901a"], "12 digits" },
        { "bad architecture", ["RegisterImage", "--architecture", "sparc"], "sparc" },
        { "missing image file", ["RegisterImage", "--image-file", "{dir}/missing.img"], "missing.img" },
        { "empty image file", ["RegisterImage", "--image-file", "{empty-image}"], "empty" },
        { "image file that is a folder", ["RegisterImage", "--image-file", "{dir}"], "image" },
        { "destination that cannot be written", ["RegisterImage", "--bundle-destination", "/proc/imagepipeline-bundle"], "not writable" },
        { "invalid bucket name", ["RegisterImage", "--bucket", "Bad_Bucket"], "Bad_Bucket" },
        { "bucket in another region", ["RegisterImage", "--bucket", "bucket-in-oregon"], "us-west-2" },
        { "bucket owned by another account", ["RegisterImage", "--bucket", "bucket-of-someone-else"], "bucket-of-someone-else" },
        { "image name too short", ["RegisterImage", "--ami-name", "ab"], "--ami-name" },
        { "image name with forbidden characters", ["RegisterImage", "--ami-name", "web#1"], "--ami-name" },
        { "image name already taken", ["RegisterImage", "--ami-name", "taken-name"], "taken-name" },
        { "unknown target", ["RegisterImages"], "Unknown target" },
        { "unknown parameter", ["RegisterImage", "--image-fiel", "x"], "did you mean --image-file" },
        { "plugin path that does not exist", ["RegisterImage", "--plugin", "{dir}/none.dll"], "none.dll" },
        { "plugin that is not a plugin", ["RegisterImage", "--plugin", "{not-a-plugin}"], "is not an ImagePipeline plugin" },
        { "plugin built against another contract", ["RegisterImage", "--plugin", "{future-plugin}"], "contract 2.0" },
        { "two plugins claiming one strategy", ["RegisterImage", "--plugin", "{sample-plugin}", "--plugin", "{duplicate-plugin}"], "Two plugins implement strategy instance-store/windows" },
        { "zero upload concurrency", ["RegisterImage", "--upload-concurrency", "0"], "--upload-concurrency" },
        { "negative upload concurrency", ["RegisterImage", "--upload-concurrency", "-3"], "--upload-concurrency" },
        { "zero max attempts", ["RegisterImage", "--max-attempts", "0"], "--max-attempts" },
        { "endpoint that is not a URL", ["RegisterImage", "--endpoint-url", "localhost:4566"], "--endpoint-url" },
        { "tags that are not key=value", ["RegisterImage", "--tags", "team"], "key=value" },
        { "a tag key starting with aws:", ["RegisterImage", "--tags", "aws:owner=me"], "aws:" },
        { "a tag key given twice", ["RegisterImage", "--tags", "a=1,a=2"], "given twice" },
        { "more tags than AWS allows with the run's own", ["RegisterImage", "--tags", string.Join(",", Enumerable.Range(0, 49).Select(i => $"key{i}=v"))], "at most 48" },
        { "EBS snapshot tags with an aws: key", ["RegisterImage", "--backing-store", "ebs", "--instance-id", LocalCloudSeedIds.LinuxEbsInstanceId, "--ami-name", "ebs-image", "--snapshot-tags", "AWS:backup=none"], "aws:" },
        { "missing certificate, reported once", ["CopyCertificates", "--x509-cert-path", "{dir}/only-once.pem"], "only-once.pem" },
        { "instance id that is malformed", ["RegisterImage", "--backing-store", "ebs", "--instance-id", "instance-1"], "--instance-id" },
        { "instance id that does not exist", ["RegisterImage", "--backing-store", "ebs", "--instance-id", "i-0123456789abcdef0", "--ami-name", "ebs-image"], "i-0123456789abcdef0" },
        { "instance in a state that cannot be imaged", ["RegisterImage", "--backing-store", "ebs", "--instance-id", "{terminated-instance}", "--ami-name", "ebs-image"], "can be imaged only when running or stopped" },
        { "platform that does not match the instance", ["RegisterImage", "--backing-store", "ebs", "--platform", "windows", "--instance-id", LocalCloudSeedIds.LinuxEbsInstanceId, "--ami-name", "ebs-image"], "linux" },
        { "EBS instance given to the instance-store Windows strategy", ["RegisterImage", "--platform", "windows", "--instance-id", LocalCloudSeedIds.WindowsEbsInstanceId, "--ami-name", "win-image"], LocalCloudSeedIds.WindowsEbsInstanceId },
        { "malformed parameters file", ["RegisterImage", "--profile", "broken"], "parameters.broken.json is not valid JSON" },
        { "profile file that does not exist", ["RegisterImage", "--profile", "nope"], "parameters.nope.json does not exist" },
        { "resume with nothing to resume", ["RegisterImage", "--resume"], "no saved run" },
    };

    public async Task InitializeAsync()
    {
        _cloud = await LocalCloudServer.StartAsync(new LocalCloudOptions { DataDirectory = Path.Combine(_sandbox.Root, "cloud"), ImageAvailableDelay = TimeSpan.Zero });
        _keys = new TestKeyMaterial(Path.Combine(_sandbox.Root, "keys"));
        _cloud.SeedBucket("bucket-in-oregon", "us-west-2");
        _cloud.SeedBucket("bucket-of-someone-else", "us-east-1", LocalCloudAccounts.OtherAccountId);
        // A complete, valid set of parameters; each case spoils one of them on the command line.
        File.WriteAllText(Path.Combine(_sandbox.Root, ".nuke", "parameters.json"), $$"""
            {
              "cloud": "local", "endpoint-url": "{{_cloud.Endpoint}}", "poll-delay": 0.1, "bucket": "fresh-bucket", "ami-name": "fresh-image",
              "image-file": "{{_keys.Image}}", "x509-cert-path": "{{_keys.Certificate}}", "x509-key-path": "{{_keys.Key}}",
              "ec2-cert-path": "{{_keys.Ec2Certificate}}", "account-id": "{{LocalCloudAccounts.AccountId}}"
            }
            """);
        File.WriteAllText(Path.Combine(_sandbox.Root, ".nuke", "parameters.broken.json"), "{ \"bucket\": ");

        using var ec2 = Ec2();
        await ec2.CreateImageAsync(new CreateImageRequest { InstanceId = LocalCloudSeedIds.LinuxEbsInstanceId, Name = "taken-name", NoReboot = true });
    }

    public async Task DisposeAsync()
    {
        await _cloud.DisposeAsync();
        _sandbox.Dispose();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_exits_2_with_one_clear_line_and_creates_nothing(string @case, string[] args, string expected)
    {
        var before = Census();
        var terminated = await TerminatedInstanceAsync(args);

        var run = await _sandbox.RunAsync(args.Select(arg => Expand(arg, terminated)).ToArray());

        run.ExitCode.Should().Be(ExitCode.UsageError, $"{@case}: {run.All}");
        run.Error.Should().Contain(expected, @case);
        run.Error.Should().NotContain("   at ", $"{@case}: no stack trace without --verbose");
        run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().OnlyContain(line => line.StartsWith("error: ", StringComparison.Ordinal), @case);
        Census().Should().Be(before, $"{@case}: nothing may be created in the cloud");
    }

    [Fact]
    public async Task A_missing_certificate_and_key_are_each_reported_once_with_the_other_problems()
    {
        var keys = Path.Combine(_sandbox.Root, "keys");

        var run = await _sandbox.RunAsync(
            "RegisterImage", "--x509-cert-path", $"{keys}/gone-cert.pem", "--x509-key-path", $"{keys}/gone-key.pem", "--image-file", _keys.EmptyImage);

        run.ExitCode.Should().Be(ExitCode.UsageError, run.All);
        var errors = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        errors.Should().ContainSingle(line => line.Contains("gone-cert.pem", StringComparison.Ordinal), run.Error);
        errors.Should().ContainSingle(line => line.Contains("gone-key.pem", StringComparison.Ordinal), run.Error);
        errors.Should().ContainSingle(line => line.Contains("is empty", StringComparison.Ordinal), "the image's problem is not hidden by the certificate's: " + run.Error);
    }

    private string Census()
    {
        var state = _cloud.GetState();
        var buckets = string.Join(",", state.Buckets.Keys) + "|" + state.Buckets.Values.Sum(bucket => bucket.Objects.Count);
        var images = state.Regions.Values.SelectMany(region => region.Images.Values).Count(image => !image.Deregistered);
        var snapshots = state.Regions.Values.Sum(region => region.Snapshots.Count);
        var stopped = state.Regions.SelectMany(region => region.Value.Instances.Keys.Select(id => _cloud.GetInstanceState(region.Key, id))).Count(instanceState => instanceState is "stopping" or "stopped");
        return $"{buckets}; images {images}; snapshots {snapshots}; stopped {stopped}";
    }

    private async Task<string?> TerminatedInstanceAsync(string[] args)
    {
        if (!args.Contains("{terminated-instance}"))
        {
            return null;
        }

        var id = _cloud.SeedInstance(new InstanceSeed { Region = "us-east-1" });
        using var ec2 = Ec2();
        await ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [id] });
        return id;
    }

    private string Expand(string arg, string? terminated) => arg
        .Replace("{dir}", Path.Combine(_sandbox.Root, "keys"), StringComparison.Ordinal)
        .Replace("{not-pem}", _keys.NotPem, StringComparison.Ordinal)
        .Replace("{other-key}", _keys.OtherKey, StringComparison.Ordinal)
        .Replace("{encrypted-key}", _keys.EncryptedKey, StringComparison.Ordinal)
        .Replace("{expired-cert}", _keys.ExpiredCertificate, StringComparison.Ordinal)
        .Replace("{ecdsa-cert}", _keys.EcdsaCertificate, StringComparison.Ordinal)
        .Replace("{ecdsa-key}", _keys.EcdsaKey, StringComparison.Ordinal)
        .Replace("{empty-image}", _keys.EmptyImage, StringComparison.Ordinal)
        .Replace("{not-a-plugin}", typeof(FactAttribute).Assembly.Location, StringComparison.Ordinal)
        .Replace("{future-plugin}", TestPluginPath("FutureContractPlugin"), StringComparison.Ordinal)
        .Replace("{sample-plugin}", TestPluginPath("SamplePlugin"), StringComparison.Ordinal)
        .Replace("{duplicate-plugin}", TestPluginPath("DuplicatePlugin"), StringComparison.Ordinal)
        .Replace("{terminated-instance}", terminated ?? string.Empty, StringComparison.Ordinal);

    private static string TestPluginPath(string project)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return Path.Combine(testOutput.Parent!.Parent!.FullName, project, testOutput.Name, project + ".dll");
    }

    private AmazonEC2Client Ec2() => new(
        new BasicAWSCredentials(LocalCloudAccounts.AccessKeyId, LocalCloudAccounts.SecretAccessKey),
        new AmazonEC2Config { ServiceURL = _cloud.Endpoint.ToString(), AuthenticationRegion = "us-east-1" });
}
