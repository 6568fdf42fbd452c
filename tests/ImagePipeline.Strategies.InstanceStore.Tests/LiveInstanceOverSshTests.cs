using System.Text;
using ImagePipeline.Abstractions;
using ImagePipeline.Bundling;
using ImagePipeline.Core.Sessions;
using ImagePipeline.LocalCloud;
using ImagePipeline.Testing.Images;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

[Collection(LocalCloudCollection.Name)]
public sealed class LiveInstanceOverSshTests(InstanceStoreCloudFixture cloud, SshServerFixture sshd) : IClassFixture<SshServerFixture>
{
    [Fact]
    public async Task A_live_instance_bundled_over_SSH_and_uploaded_from_this_host_registers_one_image_and_leaves_no_key_behind()
    {
        await using var bake = new Bake(cloud);
        var instance = Instance(bake);
        var parameters = instance.Parameters;
        parameters["upload-from"] = "host";
        parameters["bundle-prefix"] = "live";

        var result = await bake.RunAsync(parameters);

        result.Failure.Should().BeNull(bake.Harness.Logs.Text);
        result.Outcome.Should().Be(RunOutcome.Succeeded);
        bake.LiveImagesNamed().Should().ContainSingle().Which.ImageLocation.Should().Be($"{bake.Bucket}/live/live.manifest.xml");
        Directory.Exists(instance.X509Path).Should().BeFalse("the key folder on the instance is removed when the run ends");
        bake.Harness.Logs.Text.Should().Contain("ec2-bundle-vol complete.", "the bundle command's output is streamed into the log");
        bake.Harness.Logs.Text.Should().NotContain(bake.Keys.KeyMarker);

        // Open the uploaded bundle and make sure the key that sat on the instance is not inside the image.
        var downloaded = Directory.CreateDirectory(Path.Combine(bake.Directory, "downloaded")).FullName;
        foreach (var key in bake.ObjectKeys)
        {
            await File.WriteAllBytesAsync(Path.Combine(downloaded, key.Split('/')[^1]), cloud.Server.ReadObject(bake.Bucket, key)!);
        }

        var unbundled = await new ImageBundler().UnbundleAsync(
            new BundleKeyRequest { ManifestPath = Path.Combine(downloaded, "live.manifest.xml"), PrivateKeyPath = bake.Keys.KeyPath },
            Directory.CreateDirectory(Path.Combine(bake.Directory, "unbundled")).FullName,
            null,
            CancellationToken.None);
        var image = await File.ReadAllBytesAsync(unbundled);
        image.Should().Equal(await File.ReadAllBytesAsync(instance.VolumeImage));
        image.AsSpan().IndexOf(Encoding.ASCII.GetBytes(bake.Keys.KeyMarker)).Should().Be(-1);
    }

    [Fact]
    public async Task A_live_instance_uploading_its_own_bundle_registers_one_image()
    {
        await using var bake = new Bake(cloud);
        var instance = Instance(bake);
        var parameters = instance.Parameters;
        parameters["bundle-prefix"] = "from-instance";

        var result = await bake.RunAsync(parameters);

        result.Failure.Should().BeNull(bake.Harness.Logs.Text);
        result.Outcome.Should().Be(RunOutcome.Succeeded);
        bake.LiveImagesNamed().Should().ContainSingle().Which.ImageLocation.Should().Be($"{bake.Bucket}/from-instance/from-instance.manifest.xml");
        bake.Harness.Logs.Text.Should().Contain("ec2-upload-bundle complete.");
        Directory.Exists(instance.X509Path).Should().BeFalse();
    }

    [Fact]
    public async Task A_failed_live_run_removes_the_key_and_the_uploads_and_the_bucket()
    {
        await using var bake = new Bake(cloud, new FailAfterTargetPlugin(PipelineTarget.UploadBundle));
        var instance = Instance(bake);

        var result = await bake.RunAsync(instance.Parameters);

        result.Outcome.Should().Be(RunOutcome.Failed);
        result.Failure!.Message.Should().Be(InjectedFailureStep.Message);
        result.CleanupFailures.Should().BeEmpty();
        Directory.Exists(instance.X509Path).Should().BeFalse();
        bake.BucketExists.Should().BeFalse();
        bake.LiveImagesNamed().Should().BeEmpty();
    }

    [Fact]
    public async Task A_key_folder_that_the_bundle_would_copy_is_refused_before_anything_runs()
    {
        await using var bake = new Bake(cloud);
        var parameters = Instance(bake).Parameters;
        parameters["bundle-vol-command"] = parameters["bundle-vol-command"].Replace("-e {x509_upload_path}", string.Empty, StringComparison.Ordinal);

        var run = () => bake.RunAsync(parameters);

        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors
            .Should().ContainSingle(message => message.Contains("would be copied into the image", StringComparison.Ordinal));
        bake.BucketExists.Should().BeFalse();
    }

    [Fact]
    public async Task An_upload_command_carrying_AWS_keys_is_refused()
    {
        await using var bake = new Bake(cloud);
        var parameters = Instance(bake).Parameters;
        parameters["upload-bundle-command"] = "ec2-upload-bundle -b {bucket}/{prefix} -m {manifest} -a AKIA... -s secret";

        var run = () => bake.RunAsync(parameters);

        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors
            .Should().ContainSingle(message => message.Contains("must not carry AWS keys", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_host_showing_another_host_key_is_refused()
    {
        await using var bake = new Bake(cloud);
        var parameters = Instance(bake).Parameters;
        parameters["ssh-host-key-fingerprint"] = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

        var run = () => bake.RunAsync(parameters);

        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors
            .Should().ContainSingle(message => message.Contains("not the --ssh-host-key-fingerprint given", StringComparison.Ordinal));
    }

    /// <summary>The "instance" of one test: its volume (an image file), key and bundle folders, and the parameters to bake it.</summary>
    private TestInstance Instance(Bake bake)
    {
        var root = sshd.Subdirectory("instance-" + Path.GetFileName(bake.Directory));
        var volume = TestImages.WriteSparse(Path.Combine(root, "root-volume.img"), 4 * TestImages.MiB, (0, TestImages.MiB), (3 * TestImages.MiB, 4096));
        var credentials = Path.Combine(root, "instance-role");
        File.WriteAllLines(credentials, [LocalCloudAccounts.AccessKeyId, LocalCloudAccounts.SecretAccessKey]);
        var x509 = Path.Combine(root, "x509");
        var tools = $"{sshd.DotnetPath} {sshd.AmiToolsPath}";
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["bucket"] = bake.Bucket,
            ["x509-cert-path"] = bake.Keys.CertificatePath,
            ["x509-key-path"] = bake.Keys.KeyPath,
            ["ami-name"] = bake.ImageName,
            ["poll-delay"] = "0.2",
            ["max-wait"] = "30",
            ["bundler"] = "ami-tools",
            ["instance-host"] = "127.0.0.1",
            ["ssh-port"] = sshd.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ssh-user"] = sshd.User,
            ["ssh-key"] = sshd.ClientKeyPath,
            ["ssh-host-key-fingerprint"] = sshd.HostKeyFingerprint,
            ["x509-upload-path"] = x509,
            ["instance-bundle-destination"] = Path.Combine(root, "bundle"),
            ["bundle-vol-command"] = $"{tools} bundle-vol --image {volume} --ec2cert {bake.Keys.Ec2CertificatePath} -k {{key}} -c {{cert}} -u {{account_id}} -e {{x509_upload_path}} -d {{destination}} -p {{prefix}} -r {{architecture}} --batch",
            ["upload-bundle-command"] = $"{tools} upload-bundle -b {{bucket}}/{{prefix}} -m {{manifest}} --region {{region}} --acl aws-exec-read --retry --endpoint {cloud.Server.Endpoint} --credentials-file {credentials}",
        };
        return new TestInstance(volume, x509, parameters);
    }

    private sealed record TestInstance(string VolumeImage, string X509Path, Dictionary<string, string> Parameters);
}
