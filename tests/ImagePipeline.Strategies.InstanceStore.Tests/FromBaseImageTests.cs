using System.Globalization;
using Amazon.EC2.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Bundling;
using ImagePipeline.Core.Engine;
using ImagePipeline.Core.Sessions;
using ImagePipeline.LocalCloud;
using ImagePipeline.Testing;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>
/// The whole recipe for instance-store images (issue #15): a base image launched in the local cloud (its instances
/// answer on the loopback sshd), a script that writes a marker and installs a package stand-in, the capture, and
/// everything the run made on the instance and in the account gone afterwards. The bundle is taken back from the local
/// cloud's S3 and unbundled to see the script's work in it.
/// </summary>
public sealed class FromBaseImageTests(LaunchOverSshCloudFixture cloud) : IClassFixture<LaunchOverSshCloudFixture>
{
    private const string Marker = "opt/web/installed-by-provisioning";
    private const string Package = "usr/local/bin/web";

    [Fact]
    public async Task An_instance_store_linux_base_image_provisioned_and_bundled_by_the_builtin_bundler_holds_the_marker_and_the_package()
    {
        await using var bake = new Bake(cloud);
        using var volume = LiveVolume.CreateEmpty(bake.Directory);
        var parameters = Parameters(bake, volume, InstallScript(bake, volume));

        var result = await bake.RunAsync(parameters);

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Harness.Logs.Text);
        result.CleanupFailures.Should().BeEmpty();
        bake.LiveImagesNamed().Should().ContainSingle().Which.ImageLocation.Should().Be($"{bake.Bucket}/web/web.manifest.xml");
        var image = await DownloadAndUnbundleAsync(bake, "web/", "web.manifest.xml");
        ReadFromImage(bake, image, Marker).Should().Be("web 1.0 installed\n");
        ReadFromImage(bake, image, Package).Should().Be("#!/bin/sh\necho web 1.0\n");
        await LaunchedInstanceShouldBeTerminatedAsync(result.RunId);
        await NothingOfTheRunShouldBeLeftAsync(bake, volume, parameters, result.RunId);
    }

    [Fact]
    public async Task An_instance_store_linux_base_image_provisioned_and_bundled_by_the_ami_tools_holds_the_marker_and_the_package()
    {
        await using var bake = new Bake(cloud);
        using var volume = LiveVolume.CreateEmpty(bake.Directory);

        // The AMI tools stand-in copies the volume's image file where ec2-bundle-vol copies the live file system's files:
        // the script freezes the file system once its files are written, which writes its journal out to the file.
        var parameters = Parameters(bake, volume, InstallScript(bake, volume, $"fsfreeze -f {volume.MountPoint}\nfsfreeze -u {volume.MountPoint}\n"));
        var credentials = Path.Combine(bake.Directory, "instance-role");
        File.WriteAllLines(credentials, [LocalCloudAccounts.AccessKeyId, LocalCloudAccounts.SecretAccessKey]);
        var tools = $"{cloud.Ssh.DotnetPath} {cloud.Ssh.AmiToolsPath}";
        parameters["bundler"] = "ami-tools";
        parameters.Remove("volume");
        parameters.Remove("volume-size");
        parameters["bundle-vol-command"] = $"{tools} bundle-vol --image {Path.Combine(volume.Root, "volume.img")} --ec2cert {bake.Keys.Ec2CertificatePath} -k {{key}} -c {{cert}} -u {{account_id}} -e {{x509_upload_path}} -d {{destination}} -p {{prefix}} -r {{architecture}} --batch";
        parameters["upload-bundle-command"] = $"{tools} upload-bundle -b {{bucket}}/{{prefix}} -m {{manifest}} --region {{region}} --acl aws-exec-read --retry --endpoint {cloud.Server.Endpoint} --credentials-file {credentials}";

        var result = await bake.RunAsync(parameters);

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Harness.Logs.Text);
        result.CleanupFailures.Should().BeEmpty();
        bake.LiveImagesNamed().Should().ContainSingle().Which.ImageLocation.Should().Be($"{bake.Bucket}/web/web.manifest.xml");
        bake.Harness.Logs.Text.Should().Contain("ec2-bundle-vol complete.").And.Contain("ec2-upload-bundle complete.").And.NotContain(bake.Keys.KeyMarker);
        var image = await DownloadAndUnbundleAsync(bake, "web/", "web.manifest.xml");

        // A copy of a mounted ext4 is marked as needing journal recovery; its journal was written out by the freeze.
        ReadFromImage(bake, image, Marker, "noload").Should().Be("web 1.0 installed\n");
        ReadFromImage(bake, image, Package, "noload").Should().Be("#!/bin/sh\necho web 1.0\n");
        await LaunchedInstanceShouldBeTerminatedAsync(result.RunId);
        await NothingOfTheRunShouldBeLeftAsync(bake, volume, parameters, result.RunId);
    }

    [Fact]
    public async Task A_failing_provisioning_script_leaves_no_instance_key_pair_group_bucket_or_file_on_the_instance()
    {
        await using var bake = new Bake(cloud);
        using var volume = LiveVolume.CreateEmpty(bake.Directory);
        var parameters = Parameters(bake, volume, InstallScript(bake, volume, "echo the package mirror is down\nexit 7\n"));

        var result = await bake.RunAsync(parameters);

        result.Outcome.Should().Be(RunOutcome.Failed, bake.Harness.Logs.Text);
        result.Failure!.Message.Should().Contain("install.sh").And.Contain("exit status 7");
        result.CleanupFailures.Should().BeEmpty();
        bake.LiveImagesNamed().Should().BeEmpty();
        bake.BucketExists.Should().BeFalse("no object of the run, nor its bucket, is left");
        await LaunchedInstanceShouldBeTerminatedAsync(result.RunId);
        await NothingOfTheRunShouldBeLeftAsync(bake, volume, parameters, result.RunId);
    }

    [Fact]
    public async Task An_instance_store_windows_base_image_is_provisioned_through_ssm_then_bundled_by_ec2_and_terminated()
    {
        await using var bake = new Bake(cloud);
        var script = Path.Combine(bake.Directory, "install.ps1");
        await File.WriteAllTextAsync(script, "Write-Output 'installing web'\n");
        var parameters = bake.WindowsParameters(instanceId: string.Empty);
        parameters.Remove("instance-id");
        parameters["source-ami"] = LocalCloudSeedIds.WindowsInstanceStoreImageId;
        parameters["iam-instance-profile"] = "ssm-builder";
        parameters["provision-script"] = script;
        parameters["bundle-prefix"] = "win";

        var result = await bake.RunAsync(parameters);

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Harness.Logs.Text);
        result.CleanupFailures.Should().BeEmpty();
        bake.Harness.Logs.Text.Should().Contain("installing web", "the script's output is in the log");
        result.Targets.Take(2).Should().OnlyContain(target => target.Status == TargetStatus.Succeeded, "the instance was launched and provisioned");
        bake.LiveImagesNamed().Should().ContainSingle().Which.ImageLocation.Should().Be($"{bake.Bucket}/win.manifest.xml");
        var instanceId = await LaunchedInstanceShouldBeTerminatedAsync(result.RunId);
        var task = cloud.State.Regions[LocalCloudFixture.HomeRegion].BundleTasks.Values.Should().ContainSingle(task => task.Bucket == bake.Bucket).Subject;
        task.InstanceId.Should().Be(instanceId, "EC2 bundled the instance the run launched");
        using var ec2 = cloud.Ec2();
        var commands = await cloud.Ssm().ListCommandsAsync(new Amazon.SimpleSystemsManagement.Model.ListCommandsRequest { InstanceId = instanceId });
        commands.Commands.Should().ContainSingle().Which.DocumentName.Should().Be("AWS-RunPowerShellScript");
        (await ec2.DescribeKeyPairsAsync(new DescribeKeyPairsRequest { Filters = [new Filter("tag:imagepipeline:run-id", [result.RunId])] })).KeyPairs
            .Should().BeNullOrEmpty("nothing logs in to a Windows instance, so no key pair is made");
    }

    [Theory]
    [InlineData("linux", LocalCloudSeedIds.LinuxInstanceStoreImageId)]
    [InlineData("windows", LocalCloudSeedIds.WindowsInstanceStoreImageId)]
    public async Task An_instance_type_that_cannot_boot_an_instance_store_base_image_is_refused_before_anything_is_launched(string platform, string baseImage)
    {
        await using var bake = new Bake(cloud);
        using var volume = LiveVolume.CreateEmpty(bake.Directory);
        var parameters = Parameters(bake, volume, InstallScript(bake, volume));
        parameters["platform"] = platform;
        parameters["source-ami"] = baseImage;
        parameters["instance-type"] = "t3.micro";
        if (platform == "windows")
        {
            parameters["iam-instance-profile"] = "ssm-builder";
            parameters["provision-script"] = Path.Combine(bake.Directory, "install.ps1");
            File.WriteAllText(parameters["provision-script"], "Write-Output 'installing web'\n");
        }

        var before = await InstanceCountAsync();

        var run = () => bake.RunAsync(parameters);

        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors.Should().ContainSingle().Which.Should().Be(
            $"--instance-type t3.micro cannot boot from an instance-store root device, and base image {baseImage} is instance-store-backed; pick an instance type with instance store (m3.medium, for example).");
        (await InstanceCountAsync()).Should().Be(before, "nothing is launched");
        bake.BucketExists.Should().BeFalse();
    }

    private static string InstallScript(Bake bake, LiveVolume volume, string? more = null)
    {
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(bake.Directory, "scripts")).FullName, "install.sh");
        var root = volume.MountPoint;
        File.WriteAllText(path, $"""
            #!/bin/sh
            set -e
            mkdir -p {root}/opt/web {root}/usr/local/bin
            printf 'web 1.0 installed\n' > {root}/{Marker}
            printf '#!/bin/sh\necho web 1.0\n' > {root}/{Package}
            chmod 755 {root}/{Package}
            sync

            """ + (more ?? string.Empty));
        return path;
    }

    private Dictionary<string, string> Parameters(Bake bake, LiveVolume volume, string script) => new(StringComparer.Ordinal)
    {
        ["bucket"] = bake.Bucket,
        ["x509-cert-path"] = bake.Keys.CertificatePath,
        ["x509-key-path"] = bake.Keys.KeyPath,
        ["ec2-cert-path"] = bake.Keys.Ec2CertificatePath,
        ["ami-name"] = bake.ImageName,
        ["bundle-prefix"] = "web",
        ["poll-delay"] = "0.2",
        ["max-wait"] = "60",
        ["source-ami"] = LocalCloudSeedIds.LinuxInstanceStoreImageId,
        ["provision-script"] = script,
        ["ssh-user"] = cloud.Ssh.User,
        ["ssh-port"] = cloud.Ssh.Port.ToString(CultureInfo.InvariantCulture),
        ["ssh-host-key-fingerprint"] = cloud.Ssh.HostKeyFingerprint,
        ["ssh-source-cidr"] = "127.0.0.1/32",
        ["volume"] = volume.MountPoint,
        ["volume-size"] = "64",
        // Beside the volume, in the test's own folder of the "instance", so that what is left there can be seen.
        ["x509-upload-path"] = Path.Combine(volume.Root, "staging"),
        ["instance-bundle-destination"] = Path.Combine(volume.Root, "bundle-dest"),
    };

    private async Task<int> InstanceCountAsync()
    {
        using var ec2 = cloud.Ec2();
        return (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest())).Reservations.Sum(reservation => reservation.Instances.Count);
    }

    private async Task<string> LaunchedInstanceShouldBeTerminatedAsync(string runId)
    {
        using var ec2 = cloud.Ec2();
        var instances = (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = [new Filter("tag:imagepipeline:run-id", [runId])] }))
            .Reservations.SelectMany(reservation => reservation.Instances).ToList();
        var instance = instances.Should().ContainSingle("the run launched one instance").Subject;
        instance.State.Name.Value.Should().Be("terminated");
        return instance.InstanceId;
    }

    private async Task NothingOfTheRunShouldBeLeftAsync(Bake bake, LiveVolume volume, IReadOnlyDictionary<string, string> parameters, string runId)
    {
        using var ec2 = cloud.Ec2();
        (await ec2.DescribeKeyPairsAsync(new DescribeKeyPairsRequest { Filters = [new Filter("tag:imagepipeline:run-id", [runId])] })).KeyPairs
            .Should().BeNullOrEmpty("the temporary key pair is deleted");
        (await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [new Filter("tag:imagepipeline:run-id", [runId])] })).SecurityGroups
            .Should().BeNullOrEmpty("the temporary security group is deleted");
        Directory.EnumerateFiles(bake.Harness.RunsDirectory, "launch-key.pem", SearchOption.AllDirectories).Should().BeEmpty("the private key never outlives the run");
        Directory.Exists(parameters["x509-upload-path"]).Should().BeFalse("the staging folder (certificates, the volume bundler) is removed");
        Directory.Exists(parameters["instance-bundle-destination"]).Should().BeFalse("the bundle folder is removed");
        Directory.Exists("/tmp/imagepipeline-provision-" + runId).Should().BeFalse("the provisioning staging folder is removed");
        volume.LeftoverMountsAndLoops().Should().BeEmpty();
    }

    private async Task<string> DownloadAndUnbundleAsync(Bake bake, string prefix, string manifest)
    {
        var downloaded = Directory.CreateDirectory(Path.Combine(bake.Directory, "downloaded")).FullName;
        foreach (var key in bake.ObjectKeys.Where(key => key.StartsWith(prefix, StringComparison.Ordinal)))
        {
            await File.WriteAllBytesAsync(Path.Combine(downloaded, key.Split('/')[^1]), cloud.Server.ReadObject(bake.Bucket, key)!);
        }

        return await new ImageBundler().UnbundleAsync(
            new BundleKeyRequest { ManifestPath = Path.Combine(downloaded, manifest), PrivateKeyPath = bake.Keys.KeyPath, UserCertificatePath = bake.Keys.CertificatePath },
            Directory.CreateDirectory(Path.Combine(bake.Directory, "unbundled")).FullName,
            null,
            CancellationToken.None);
    }

    /// <summary>A file of the unbundled image, read through a read-only loop mount.</summary>
    private static string ReadFromImage(Bake bake, string image, string relative, string? mountOption = null)
    {
        var mounted = Directory.CreateDirectory(Path.Combine(bake.Directory, "mounted-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        LiveVolume.Run($"mount -o loop,ro{(mountOption is null ? string.Empty : "," + mountOption)} {LiveVolume.Quote(image)} {LiveVolume.Quote(mounted)}");
        try
        {
            return File.ReadAllText(Path.Combine(mounted, relative));
        }
        finally
        {
            LiveVolume.Run($"umount {LiveVolume.Quote(mounted)}");
        }
    }
}
