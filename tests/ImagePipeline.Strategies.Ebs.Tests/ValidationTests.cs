using ImagePipeline.Abstractions;
using ImagePipeline.Core.Engine;
using ImagePipeline.Core.Sessions;
using ImagePipeline.Testing;

namespace ImagePipeline.Strategies.Ebs.Tests;

public sealed class ValidationTests(PipelineCloudFixture cloud) : IClassFixture<PipelineCloudFixture>
{
    [Fact]
    public async Task An_unknown_instance_is_refused_before_anything_runs()
    {
        var before = cloud.Census(PipelineCloudFixture.HomeRegion);
        await using var bake = new EbsBake(cloud, "i-0123456789abcdef0");

        var error = await RefusedAsync(bake);

        error.Errors.Should().Contain(message => message.Contains("i-0123456789abcdef0 does not exist", StringComparison.Ordinal));
        cloud.Census(PipelineCloudFixture.HomeRegion).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task An_instance_store_linux_instance_without_instance_host_is_refused_naming_it_and_nothing_is_created()
    {
        var instanceId = cloud.NewInstance(rootDeviceType: "instance-store");
        var before = cloud.Census(PipelineCloudFixture.HomeRegion);
        await using var bake = new EbsBake(cloud, instanceId);

        var error = await RefusedAsync(bake);

        error.Errors.Should().Contain(message => message.StartsWith("--instance-host is required to log in to the instance-store-backed --instance-id over SSH", StringComparison.Ordinal));
        error.Errors.Should().Contain(message => message.StartsWith("--ssh-key is required to log in to --instance-host", StringComparison.Ordinal));
        error.Errors.Should().NotContain(message => message.Contains("not supported", StringComparison.Ordinal));
        cloud.Census(PipelineCloudFixture.HomeRegion).Should().BeEquivalentTo(before, "no volume, snapshot or image is made");
        cloud.InstanceHistory(instanceId).Should().OnlyContain(state => state == "running");
    }

    [Theory]
    [InlineData("no-reboot", "true", "--no-reboot does not apply to an instance-store-backed instance: it is never stopped (it cannot be), its root file system is copied while it runs; leave --no-reboot out.")]
    [InlineData("exclude-devices", "/dev/sdf", "--exclude-devices does not apply to an instance-store-backed instance: only its root file system is imaged, onto one new volume; leave it out (--volume-exclude leaves folders out of the image).")]
    [InlineData("leave-stopped", "true", "--leave-stopped does not apply to an instance-store-backed instance, which is never stopped; leave it out.")]
    public async Task An_option_of_create_image_is_refused_for_an_instance_store_linux_instance_in_one_line(string option, string value, string refusal)
    {
        var instanceId = cloud.NewInstance(rootDeviceType: "instance-store");
        await using var bake = new EbsBake(cloud, instanceId).With(option, value);

        var error = await RefusedAsync(bake);

        error.Errors.Should().ContainSingle(message => message.StartsWith("--" + option, StringComparison.Ordinal)).Which.Should().Be(refusal);
    }

    [Fact]
    public async Task A_live_volume_option_is_refused_for_an_ebs_backed_instance_that_create_image_captures()
    {
        var instanceId = cloud.NewInstance();
        await using var bake = new EbsBake(cloud, instanceId).With("volume-exclude", "/var/cache");

        var error = await RefusedAsync(bake);

        error.Errors.Should().ContainSingle().Which.Should().Be(
            "--volume-exclude applies to an instance-store-backed instance, whose root file system is imaged onto a new volume; CreateImage captures this EBS-backed instance's volumes as they are, so drop --volume-exclude.");
    }

    [Fact]
    public async Task An_instance_store_windows_instance_is_refused_with_aws_s_rule_in_one_line()
    {
        var instanceId = cloud.NewInstance(platform: "windows", rootDeviceType: "instance-store");
        await using var bake = new EbsBake(cloud, instanceId, platform: "windows");

        var error = await RefusedAsync(bake);

        error.Errors.Should().ContainSingle().Which.Should()
            .Be($"Instance {instanceId} is an instance-store-backed Windows instance, and AWS cannot create an EBS-backed AMI from an instance-store-backed Windows instance; bake it with --backing-store instance-store, or start from an EBS-backed Windows image.");
        cloud.InstanceHistory(instanceId).Should().OnlyContain(state => state == "running");
    }

    [Fact]
    public async Task A_linux_instance_given_platform_windows_is_refused()
    {
        var instanceId = cloud.NewInstance();
        await using var bake = new EbsBake(cloud, instanceId, platform: "windows");

        var error = await RefusedAsync(bake);

        error.Errors.Should().Contain(message => message.Contains("runs Linux but --platform is windows", StringComparison.Ordinal));
        cloud.InstanceHistory(instanceId).Should().OnlyContain(state => state == "running");
    }

    [Fact]
    public async Task A_windows_instance_given_platform_linux_is_refused()
    {
        var instanceId = cloud.NewInstance(platform: "windows");
        await using var bake = new EbsBake(cloud, instanceId);

        var error = await RefusedAsync(bake);

        error.Errors.Should().Contain(message => message.Contains("runs Windows but --platform is linux", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_name_already_taken_is_refused_before_the_instance_is_touched()
    {
        var instanceId = cloud.NewInstance();
        await using var first = new EbsBake(cloud, cloud.NewInstance()).With("no-reboot", "true");
        (await first.RunAsync()).Outcome.Should().Be(RunOutcome.Succeeded, first.Logs);
        var before = cloud.Census(PipelineCloudFixture.HomeRegion);
        await using var second = new EbsBake(cloud, instanceId).With("ami-name", first.ImageName);

        var error = await RefusedAsync(second);

        error.Errors.Should().Contain(message => message.Contains($"already own an image named '{first.ImageName}'", StringComparison.Ordinal) && message.Contains("--force-deregister", StringComparison.Ordinal));
        cloud.InstanceHistory(instanceId).Should().OnlyContain(state => state == "running");
        cloud.Census(PipelineCloudFixture.HomeRegion).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task No_reboot_is_refused_for_windows()
    {
        var instanceId = cloud.NewInstance(platform: "windows");
        await using var bake = new EbsBake(cloud, instanceId, platform: "windows").With("no-reboot", "true");

        var error = await RefusedAsync(bake);

        error.Errors.Should().Contain(message => message.StartsWith("--no-reboot is refused for Windows", StringComparison.Ordinal));
        cloud.InstanceHistory(instanceId).Should().OnlyContain(state => state == "running");
    }

    [Fact]
    public async Task A_root_volume_smaller_than_the_instances_is_refused()
    {
        await using var bake = new EbsBake(cloud, cloud.NewInstance()).With("root-volume-size", "4");

        var error = await RefusedAsync(bake);

        error.Errors.Should().Contain(message => message.Contains("--root-volume-size 4 is smaller than the 8 GiB root volume", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Excluding_the_root_or_an_unattached_device_is_refused()
    {
        await using var bake = new EbsBake(cloud, cloud.NewInstance()).With("exclude-devices", "/dev/xvda,/dev/sdz");

        var error = await RefusedAsync(bake);

        error.Errors.Should().Contain(message => message.Contains("/dev/xvda is the root volume", StringComparison.Ordinal))
            .And.Contain(message => message.Contains("/dev/sdz is not attached", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Generalize_is_refused_for_a_stopped_instance()
    {
        var instanceId = cloud.NewInstance(platform: "windows", state: "stopped");
        await using var bake = new EbsBake(cloud, instanceId, platform: "windows").With("generalize", "true");

        var error = await RefusedAsync(bake);

        error.Errors.Should().Contain(message => message.Contains("must be running but is stopped", StringComparison.Ordinal));
        cloud.InstanceHistory(instanceId).Should().OnlyContain(state => state == "stopped");
    }

    [Fact]
    public async Task Generalize_is_refused_for_linux()
    {
        await using var bake = new EbsBake(cloud, cloud.NewInstance()).With("generalize", "true");

        var error = await RefusedAsync(bake);

        error.Errors.Should().Contain(message => message.Contains("only Windows has", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_error_is_reported_at_once()
    {
        await using var bake = new EbsBake(cloud, cloud.NewInstance(rootDeviceType: "instance-store"), platform: "windows")
            .With("kms-key-id", "alias/images")
            .With("exclude-devices", "/dev/sdz");

        var error = await RefusedAsync(bake);

        error.Errors.Should().HaveCountGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task Bad_parameter_values_are_input_errors()
    {
        await using var bake = new EbsBake(cloud, cloud.NewInstance()).With("deprecate-at", "next tuesday");

        var act = () => bake.RunAsync();

        (await act.Should().ThrowAsync<PipelineException>()).Which.Kind.Should().Be(PipelineErrorKind.Input);
    }

    [Fact]
    public async Task Bucket_certificate_and_upload_targets_do_not_apply()
    {
        await using var bake = new EbsBake(cloud, cloud.NewInstance()).With("no-reboot", "true");

        var result = await bake.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        result.Targets.Where(target => target.Target is PipelineTarget.PrepareBucket or PipelineTarget.CopyCertificates or PipelineTarget.UploadBundle)
            .Should().HaveCount(3).And.OnlyContain(target => target.Status == TargetStatus.NotApplicable);
    }

    private static async Task<ValidationFailedException> RefusedAsync(EbsBake bake)
    {
        var act = () => bake.RunAsync();
        var error = (await act.Should().ThrowAsync<ValidationFailedException>()).Which;
        error.Kind.Should().Be(PipelineErrorKind.Input);
        return error;
    }
}
