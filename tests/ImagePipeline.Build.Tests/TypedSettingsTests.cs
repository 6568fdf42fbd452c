using ImagePipeline.Abstractions;
using ImagePipeline.Aws;

namespace ImagePipeline.Build.Tests;

/// <summary>The typed settings build code uses stand for parameters the host and the built-in strategies really declare.</summary>
public sealed class TypedSettingsTests : IDisposable
{
    private readonly HostSandbox _sandbox = new();

    [Fact]
    public async Task Every_typed_setter_names_a_parameter_that_help_lists()
    {
        var settings = new ImagePipelineSettings()
            .SetCloud(CloudKind.Local).SetRegion("us-east-1").SetBackingStore(BackingStore.InstanceStore).SetPlatform(Platform.Linux)
            .SetAmiName("web-{date}").SetAmiDescription("web").AddTag("team", "web").SetCopyToRegions("us-west-2").SetForceDeregister(true)
            .SetInstanceId("i-0123456789abcdef0").SetInstanceHost("10.0.0.1").SetImageFile("disk.img").SetBucket("bundles")
            .SetAccountId("123456789012").SetArchitecture("x86_64").SetX509CertPath("cert.pem").SetX509KeyPath("key.pem")
            .SetEc2CertPath("ec2.pem").SetPollDelay(TimeSpan.FromSeconds(5)).SetMaxWait(TimeSpan.FromMinutes(5)).SetKeepOnFailure(true)
            .SetSshUser("ec2-user").SetSshKey("id_ed25519").SetSshPort(2222).SetSshHostKeyFingerprint("SHA256:abc")
            .SetBundlePrefix("web").SetBundleDestination("bundles").SetUploadConcurrency(4).SetNoReboot(true).SetGeneralize(true)
            .SetShareWithAccounts("210987654321").SetEncryptCopies(true).SetKmsKeyId("alias/images")
            .SetVolume("/").SetVolumeExclude("/var/cache").SetVolumeInclude("/etc/app.pem").SetVolumeNoFilter(true).SetVolumeAllMounts(true)
            .SetVolumeFstab("fstab").SetVolumeGenerateFstab(false).SetVolumePartition(VolumePartitionTable.Mbr).SetRootVolumeSize(16).SetAttachedDevicePath("/dev/{device}")
            .SetKernelId("aki-88aa75e1").SetRamdiskId("ari-a51cf9cc")
            .SetSourceAmi("ami-0123456789abcdef0").SetSourceAmiFilter("name=al2023-*", "owner=amazon").SetSourceAmiMostRecent(true).SetInstanceType("t3.small")
            .SetSubnetId("subnet-0123456789abcdef0").SetIamInstanceProfile("builder").SetUserDataFile("user-data.sh").SetAssociatePublicIp(true)
            .AddInstanceTag("team", "web").SetSshKeyPairName("builder").SetSecurityGroupIds("sg-0123456789abcdef0").SetSshSourceCidr("203.0.113.7/32")
            .SetKeepInstance(true).AddProvisionScript("install.sh").AddProvisionFile("app.tar", "/opt/app.tar").AddProvisionEnv("VERBOSE", "1").AddProvisionSecret("TOKEN", "a-long-secret");

        var help = await _sandbox.RunAsync("--help");

        help.ExitCode.Should().Be(0, help.All);
        var names = settings.ToArguments().Select(argument => argument[..argument.IndexOf('=', StringComparison.Ordinal)]).ToArray();
        names.Should().HaveCountGreaterThan(45);
        names.Should().OnlyContain(name => help.Output.Contains(name + " ", StringComparison.Ordinal) || help.Output.Contains(name + "\n", StringComparison.Ordinal),
            "a typed setter must name a parameter the host or a built-in strategy declares");
    }

    public void Dispose() => _sandbox.Dispose();
}
