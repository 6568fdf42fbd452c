using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Steps;
using ImagePipeline.Strategies.Ebs.Strategies;

namespace ImagePipeline.Strategies.Ebs.Tests;

public sealed class PlanTests
{
    [Fact]
    public void A_linux_capture_stops_the_instance_creates_the_image_and_waits_for_its_snapshots()
    {
        var plan = new EbsLinuxStrategy().Plan(PipelineTarget.BundleVolume, Values());

        plan.Steps.Should().Equal(typeof(ResolveImageName), typeof(StopSourceInstance), typeof(CreateImageFromInstance), typeof(WaitForSnapshots));
    }

    [Theory]
    [InlineData("linux")]
    [InlineData("windows")]
    public async Task A_launched_instance_is_captured_by_id_and_needs_no_instance_id(string platform)
    {
        IImageStrategy strategy = platform == "linux" ? new EbsLinuxStrategy() : new EbsWindowsStrategy();
        var parameters = Values(("source-ami", "ami-0123456789abcdef0"), ("ami-name", "web-test"));
        var context = new ValidationContext(strategy.Key, PipelineTargetOrder.All, parameters);

        await strategy.ValidateAsync(context, CancellationToken.None);

        strategy.UsesLaunchedInstance(parameters, InstanceRoot.Ebs).Should().Be(LaunchedInstanceUse.ById);
        context.Errors.Should().BeEmpty("the instance to capture is the one LaunchInstance starts");
    }

    [Fact]
    public void An_instance_store_linux_instance_is_imaged_onto_a_new_volume_snapshotted_and_registered_over_ssh()
    {
        var strategy = new EbsLinuxStrategy();
        var parameters = Values();

        strategy.Plan(PipelineTarget.BundleVolume, parameters, InstanceRoot.InstanceStore).Steps.Should().Equal(
            typeof(ResolveImageName), typeof(CreateRootVolume), typeof(AttachRootVolume), typeof(CopyRootFileSystemToVolume),
            typeof(DetachRootVolume), typeof(SnapshotRootVolume), typeof(RegisterImageFromSnapshot));
        strategy.Plan(PipelineTarget.RegisterImage, parameters, InstanceRoot.InstanceStore).Steps
            .Should().Equal(strategy.Plan(PipelineTarget.RegisterImage, parameters).Steps, "the image is published as one CreateImage made");
        strategy.UsesLaunchedInstance(parameters, InstanceRoot.InstanceStore).Should().Be(LaunchedInstanceUse.OverSsh, "the launch makes the key pair and group and waits for SSH");
        strategy.Plan(PipelineTarget.BundleVolume, parameters, InstanceRoot.Ebs).Steps.Should().Contain(typeof(CreateImageFromInstance));
    }

    [Fact]
    public void An_instance_store_windows_instance_keeps_the_create_image_plan_that_validation_refuses()
    {
        var strategy = new EbsWindowsStrategy();
        var parameters = Values();

        strategy.Plan(PipelineTarget.BundleVolume, parameters, InstanceRoot.InstanceStore).Steps
            .Should().Equal(strategy.Plan(PipelineTarget.BundleVolume, parameters).Steps).And.NotContain(typeof(CreateRootVolume));
        strategy.UsesLaunchedInstance(parameters, InstanceRoot.InstanceStore).Should().Be(LaunchedInstanceUse.ById);
    }

    [Fact]
    public void No_reboot_leaves_out_the_stop()
    {
        var plan = new EbsLinuxStrategy().Plan(PipelineTarget.BundleVolume, Values(("no-reboot", true)));

        plan.Steps.Should().Equal(typeof(ResolveImageName), typeof(CreateImageFromInstance), typeof(WaitForSnapshots));
    }

    [Fact]
    public void A_generalized_windows_capture_runs_sysprep_first()
    {
        var plan = new EbsWindowsStrategy().Plan(PipelineTarget.BundleVolume, Values(("generalize", true)));

        plan.Steps.Should().Equal(typeof(ResolveImageName), typeof(GeneralizeWithSysprep), typeof(StopSourceInstance), typeof(CreateImageFromInstance), typeof(WaitForSnapshots));
    }

    [Fact]
    public void Publishing_has_only_the_steps_the_parameters_ask_for()
    {
        var strategy = new EbsLinuxStrategy();

        strategy.Plan(PipelineTarget.RegisterImage, Values()).Steps
            .Should().Equal(typeof(WaitForImageAvailable), typeof(TagImageAndSnapshots), typeof(RecordImageIds));
        strategy.Plan(PipelineTarget.RegisterImage, Values(
                ("force-deregister", true), ("share-with-accounts", new[] { "210987654321" }), ("deprecate-at", "2030-01-01T00:00:00Z"), ("copy-to-regions", new[] { "eu-west-1" })))
            .Steps.Should().Equal(
                typeof(WaitForImageAvailable), typeof(ReplaceExistingImage), typeof(TagImageAndSnapshots), typeof(ShareImage),
                typeof(DeprecateImage), typeof(CopyImageToRegions), typeof(RecordImageIds));
    }

    [Theory]
    [InlineData(PipelineTarget.PrepareBucket)]
    [InlineData(PipelineTarget.CopyCertificates)]
    [InlineData(PipelineTarget.UploadBundle)]
    public void Bucket_certificate_and_upload_do_not_apply(PipelineTarget target)
    {
        var plan = new EbsWindowsStrategy().Plan(target, Values());

        plan.IsApplicable.Should().BeFalse();
        plan.NotApplicableReason.Should().Contain("EBS");
    }

    [Fact]
    public void The_plugin_registers_linux_and_windows()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();

        new EbsPlugin().ConfigureServices(services);

        services.Where(service => service.ServiceType == typeof(IImageStrategy)).Select(service => service.ImplementationType)
            .Should().BeEquivalentTo([typeof(EbsLinuxStrategy), typeof(EbsWindowsStrategy)]);
    }

    private static FakeParameterValues Values(params (string Name, object Value)[] values) =>
        new(values.ToDictionary(pair => pair.Name, pair => pair.Value));
}
