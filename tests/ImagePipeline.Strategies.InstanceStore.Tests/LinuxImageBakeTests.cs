using System.Text;
using ImagePipeline.Abstractions;
using ImagePipeline.Bundling;
using ImagePipeline.Core.Engine;
using ImagePipeline.Testing.Images;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

[Collection(LocalCloudCollection.Name)]
public sealed class LinuxImageBakeTests(InstanceStoreCloudFixture cloud)
{
    [Fact]
    public async Task A_full_Linux_bake_registers_exactly_one_image_with_the_bundle_location_architecture_and_name()
    {
        await using var bake = new Bake(cloud);
        var parameters = bake.LinuxParameters(bake.SmallImage());
        parameters["architecture"] = "arm64";
        parameters["bundle-prefix"] = "web-server";
        parameters["tags"] = "team=images,purpose=test";
        parameters["ami-description"] = "Baked by the instance-store tests";
        parameters["boot-mode"] = "uefi";
        parameters["ena-support"] = "true";
        parameters["imds-support"] = "v2.0";
        parameters["block-device-mappings"] = "/dev/sdb=ephemeral0";

        var result = await bake.RunAsync(parameters);

        result.Failure.Should().BeNull();
        result.Outcome.Should().Be(RunOutcome.Succeeded);
        var image = bake.LiveImagesNamed().Should().ContainSingle().Subject;
        image.ImageLocation.Should().Be($"{bake.Bucket}/web-server/web-server.manifest.xml");
        image.Architecture.Should().Be("arm64");
        image.RootDeviceType.Should().Be("instance-store");
        image.Tags.Select(tag => $"{tag.Key}={tag.Value}").Should().BeEquivalentTo("team=images", "purpose=test");
        image.Description.Should().Be("Baked by the instance-store tests");
        image.VirtualizationType.Should().Be("hvm");
        image.BootMode.Should().Be("uefi");
        image.EnaSupport.Should().BeTrue();
        image.ImdsSupport.Should().Be("v2.0");
        image.RootDeviceName.Should().Be("/dev/sda1");
        image.BlockDevices.Should().ContainSingle(device => device.DeviceName == "/dev/sdb" && device.VirtualName == "ephemeral0");
        result.Outputs[WellKnownOutputs.ImageId].Should().Be(image.ImageId);
        result.Outputs[WellKnownOutputs.ManifestLocation].Should().Be(image.ImageLocation);
        result.Targets.Select(target => target.Status).Should().Equal(
            TargetStatus.NotApplicable, TargetStatus.NotApplicable, TargetStatus.Succeeded, TargetStatus.Succeeded, TargetStatus.Succeeded, TargetStatus.Succeeded, TargetStatus.Succeeded);
        result.Targets[0].Note.Should().StartWith("the run bundles --image-file ", "nothing is launched for a disk image");
        result.Targets.Single(target => target.Target == PipelineTarget.RegisterImage).Note.Should().Be(image.ImageId);
        result.Targets.Single(target => target.Target == PipelineTarget.BundleVolume).Note.Should().MatchRegex(@"^1 part, \d+\.\d+ MiB; 1 uploaded while bundling \(overlap \d+\.\d s\)$");
        bake.ObjectKeys.Should().BeEquivalentTo("web-server/web-server.manifest.xml", "web-server/web-server.part.0");
        var bucket = cloud.State.Buckets[bake.Bucket];
        bucket.Objects.Values.Should().OnlyContain(entry => entry.CannedAcl == "aws-exec-read");
        bucket.ObjectOwnership.Should().Be("BucketOwnerPreferred");
        bucket.EncryptionXml.Should().Contain("AES256");
        bucket.PublicAccessBlockXml.Should().Contain("<BlockPublicAcls>true</BlockPublicAcls>").And.Contain("<RestrictPublicBuckets>true</RestrictPublicBuckets>");
        bake.StagedKeyFolders().Should().BeEmpty("staged keys are removed when the run ends");
    }

    [Fact]
    public async Task A_bake_without_a_prefix_names_the_bundle_after_the_UTC_time_and_the_run_and_reports_progress()
    {
        await using var bake = new Bake(cloud);

        var result = await bake.RunAsync(bake.LinuxParameters(bake.SmallImage()));

        result.Outcome.Should().Be(RunOutcome.Succeeded);
        var location = bake.LiveImagesNamed().Should().ContainSingle().Subject.ImageLocation;
        var suffix = result.RunId[(result.RunId.LastIndexOf('-') + 1)..];
        location.Should().MatchRegex($@"^{bake.Bucket}/image-\d{{14}}-{suffix}/image-\d{{14}}-{suffix}\.manifest\.xml$");
        bake.Harness.Progress.Reports.Should().Contain(report => report.Activity.StartsWith("Bundling disk.img", StringComparison.Ordinal) && report.Completed == 3 * TestImages.MiB && report.Total == 3 * TestImages.MiB);
        bake.Harness.Progress.Reports.Should().Contain(report => report.Activity.StartsWith("Uploading", StringComparison.Ordinal) && report.Completed == report.Total);
    }

    [Fact]
    public async Task The_staged_key_never_appears_in_the_bundle_logs_or_run_state()
    {
        await using var bake = new Bake(cloud);
        var parameters = bake.LinuxParameters(bake.SmallImage());
        parameters["bundle-prefix"] = "inspect";

        var result = await bake.RunAsync(parameters);
        result.Outcome.Should().Be(RunOutcome.Succeeded);

        // Take the bundle back out of the bucket and open it as EC2 would, then search the image for the key.
        var downloaded = Directory.CreateDirectory(Path.Combine(bake.Directory, "downloaded")).FullName;
        foreach (var key in bake.ObjectKeys)
        {
            await File.WriteAllBytesAsync(Path.Combine(downloaded, key.Split('/')[^1]), cloud.Server.ReadObject(bake.Bucket, key)!);
        }

        var unbundled = await new ImageBundler().UnbundleAsync(
            new BundleKeyRequest { ManifestPath = Path.Combine(downloaded, "inspect.manifest.xml"), PrivateKeyPath = bake.Keys.KeyPath },
            Directory.CreateDirectory(Path.Combine(bake.Directory, "unbundled")).FullName,
            null,
            CancellationToken.None);
        var imageBytes = await File.ReadAllBytesAsync(unbundled);
        imageBytes.Should().Equal(await File.ReadAllBytesAsync(parameters["image-file"]));
        imageBytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(bake.Keys.KeyMarker)).Should().Be(-1);
        imageBytes.AsSpan().IndexOf("PRIVATE KEY"u8).Should().Be(-1);

        bake.Harness.Logs.Text.Should().NotContain(bake.Keys.KeyMarker);
        var runFile = Directory.GetFiles(bake.Harness.RunsDirectory, "*.json").Should().ContainSingle().Subject;
        (await File.ReadAllTextAsync(runFile)).Should().NotContain(bake.Keys.KeyMarker).And.NotContain("PRIVATE KEY");
    }

    [Fact]
    public async Task An_encrypted_key_is_opened_with_its_passphrase_which_never_reaches_logs_or_run_state()
    {
        await using var bake = new Bake(cloud);
        const string passphrase = "correct horse battery staple 7741";
        var keys = bake.Keys.WithEncryptedKey(cloud.Subdirectory("encrypted-keys-" + Path.GetFileName(bake.Directory)), passphrase);
        var parameters = bake.LinuxParameters(bake.SmallImage());
        parameters["x509-cert-path"] = keys.CertificatePath;
        parameters["x509-key-path"] = keys.KeyPath;
        parameters["x509-key-passphrase"] = passphrase;

        var result = await bake.RunAsync(parameters);

        result.Failure.Should().BeNull();
        bake.LiveImagesNamed().Should().ContainSingle();
        bake.Harness.Logs.Text.Should().NotContain(passphrase);
        foreach (var file in Directory.GetFiles(bake.Harness.RunsDirectory, "*.json"))
        {
            (await File.ReadAllTextAsync(file)).Should().NotContain(passphrase);
        }
    }

    [Fact]
    public async Task A_wrong_passphrase_is_refused_before_anything_is_created()
    {
        await using var bake = new Bake(cloud);
        var keys = bake.Keys.WithEncryptedKey(cloud.Subdirectory("wrong-passphrase-" + Path.GetFileName(bake.Directory)), "the right one");
        var parameters = bake.LinuxParameters(bake.SmallImage());
        parameters["x509-cert-path"] = keys.CertificatePath;
        parameters["x509-key-path"] = keys.KeyPath;
        parameters["x509-key-passphrase"] = "the wrong one";

        var run = () => bake.RunAsync(parameters);

        var error = (await run.Should().ThrowAsync<ImagePipeline.Core.Sessions.ValidationFailedException>()).Which;
        error.Message.Should().NotContain("the wrong one");
        bake.BucketExists.Should().BeFalse();
    }

    [Theory]
    [InlineData("x509-cert-path", "--x509-cert-path '/dev/zero' is a character device; pass the path of a regular file.")]
    [InlineData("x509-key-path", "--x509-key-path '/dev/zero' is a character device; pass the path of a regular file.")]
    public async Task A_certificate_or_key_that_is_a_device_is_one_error_before_anything_is_created(string parameter, string expected)
    {
        await using var bake = new Bake(cloud);
        var parameters = bake.LinuxParameters(bake.SmallImage());
        parameters[parameter] = "/dev/zero";

        var run = () => bake.RunAsync(parameters);

        var error = (await run.Should().ThrowAsync<ImagePipeline.Core.Sessions.ValidationFailedException>()).Which;
        error.Errors.Should().ContainSingle(message => message.Contains("/dev/zero", StringComparison.Ordinal)).Which.Should().Be(expected);
        bake.BucketExists.Should().BeFalse();
    }
}
