using ImagePipeline.Abstractions;
using ImagePipeline.Core.Parameters;
using ImagePipeline.Core.Planning;
using ImagePipeline.Instances.Launching;

namespace ImagePipeline.Instances.Tests.Launching;

/// <summary>What LaunchInstance plans: not applicable (with the reason) when the run is given what to capture, and only the steps the bake needs.</summary>
public sealed class LaunchPlanTests
{
    [Theory]
    [InlineData("--instance-id i-0123456789abcdef0", "the run captures --instance-id i-0123456789abcdef0")]
    [InlineData("--instance-host 10.0.0.7", "the run captures --instance-host 10.0.0.7")]
    [InlineData("--image-file disk.img", "the run bundles --image-file disk.img")]
    [InlineData("", "no --source-ami or --source-ami-filter")]
    public void Launch_does_not_apply_when_the_run_is_given_what_to_capture_and_says_why(string arguments, string reason)
    {
        var plan = LaunchTarget.Plan(Parameters(arguments), new StrategyThat(LaunchedInstanceUse.ById), InstanceRoot.Ebs);

        plan.IsApplicable.Should().BeFalse();
        plan.NotApplicableReason.Should().Be(reason);
    }

    [Theory]
    [InlineData("--source-ami ami-0123456789abcdef0 --instance-id i-0123456789abcdef0", "--source-ami launches a new instance to capture, but the run captures --instance-id i-0123456789abcdef0; give one or the other.")]
    [InlineData("--source-ami-filter name=al2023-*,owner=amazon --instance-host 10.0.0.7", "--source-ami-filter launches a new instance to capture, but the run captures --instance-host 10.0.0.7; give one or the other.")]
    [InlineData("--source-ami ami-0123456789abcdef0 --image-file disk.img", "--source-ami launches a new instance to capture, but the run bundles --image-file disk.img; give one or the other.")]
    public void A_base_image_together_with_an_instance_host_or_file_is_one_error_naming_both(string arguments, string error)
    {
        var plan = () => LaunchTarget.Plan(Parameters(arguments), new StrategyThat(LaunchedInstanceUse.ById), InstanceRoot.Ebs);

        var exception = plan.Should().Throw<PipelineException>().Which;
        exception.Kind.Should().Be(PipelineErrorKind.Input);
        exception.Message.Should().Be(error);
    }

    [Theory]
    [InlineData("--instance-id i-0123456789abcdef0 --instance-type t3.large", "--instance-type shapes the instance the run launches from a base image, and this run launches none (the run captures --instance-id i-0123456789abcdef0); leave it out, or pass --source-ami.")]
    [InlineData("--instance-host 10.0.0.7 --user-data-file boot.sh --keep-instance", "--user-data-file, --keep-instance shape the instance the run launches from a base image, and this run launches none (the run captures --instance-host 10.0.0.7); leave them out, or pass --source-ami.")]
    [InlineData("--source-ami-most-recent", "--source-ami-most-recent shapes the instance the run launches from a base image, and this run launches none (no --source-ami or --source-ami-filter); leave it out, or pass --source-ami.")]
    [InlineData("--source-ami ami-0123456789abcdef0 --source-ami-filter name=al2023-*,owner=amazon", "--source-ami names the base image and --source-ami-filter finds one; give one or the other.")]
    [InlineData("--source-ami ami-0123456789abcdef0 --source-ami-most-recent", "--source-ami-most-recent picks the newest image --source-ami-filter matches, and --source-ami names one; leave it out, or use a filter.")]
    public void A_launch_parameter_the_run_would_ignore_is_one_error_instead(string arguments, string error)
    {
        var plan = () => LaunchTarget.Plan(Parameters(arguments), new StrategyThat(LaunchedInstanceUse.ById), InstanceRoot.Ebs);

        plan.Should().Throw<PipelineException>().Which.Message.Should().Be(error);
    }

    [Fact]
    public void A_launch_flag_set_to_false_is_not_taken_for_one_given()
    {
        var plan = LaunchTarget.Plan(Parameters("--instance-id i-0123456789abcdef0 --keep-instance false --associate-public-ip false"), new StrategyThat(LaunchedInstanceUse.ById), InstanceRoot.Ebs);

        plan.NotApplicableReason.Should().Be("the run captures --instance-id i-0123456789abcdef0");
    }

    [Fact]
    public void A_strategy_that_cannot_capture_a_launched_instance_is_refused_by_name()
    {
        var plan = () => LaunchTarget.Plan(Parameters("--source-ami ami-0123456789abcdef0"), new StrategyThat(LaunchedInstanceUse.NotSupported), InstanceRoot.Ebs);

        plan.Should().Throw<PipelineException>().Which.Message.Should()
            .Be("The instance-store/linux strategy cannot capture an instance the run launches; leave out --source-ami, or pick another --backing-store/--platform.");
    }

    [Fact]
    public void A_bake_that_connects_to_nothing_makes_no_key_pair_and_no_security_group()
    {
        var plan = LaunchTarget.Plan(Parameters("--source-ami ami-0123456789abcdef0"), new StrategyThat(LaunchedInstanceUse.ById), InstanceRoot.Ebs);

        plan.Steps.Should().Equal(typeof(ResolveSourceImage), typeof(LaunchSourceInstance), typeof(WaitForInstanceStatus));
    }

    [Fact]
    public void A_strategy_that_logs_in_over_ssh_gets_a_temporary_key_pair_and_security_group_and_waits_for_ssh()
    {
        var plan = LaunchTarget.Plan(Parameters("--source-ami ami-0123456789abcdef0"), new StrategyThat(LaunchedInstanceUse.OverSsh), InstanceRoot.Ebs);

        plan.Steps.Should().Equal(
            typeof(ResolveSourceImage), typeof(CreateTemporaryKeyPair), typeof(CreateTemporarySecurityGroup), typeof(LaunchSourceInstance), typeof(WaitForInstanceStatus), typeof(WaitForSsh));
    }

    [Fact]
    public void A_given_key_pair_and_security_groups_replace_the_temporary_ones()
    {
        var plan = LaunchTarget.Plan(
            Parameters("--source-ami ami-0123456789abcdef0 --ssh-key-pair-name builder --ssh-key id_rsa --security-group-ids sg-0123456789abcdef0"),
            new StrategyThat(LaunchedInstanceUse.OverSsh), InstanceRoot.Ebs);

        plan.Steps.Should().Equal(typeof(ResolveSourceImage), typeof(LaunchSourceInstance), typeof(WaitForInstanceStatus), typeof(WaitForSsh));
    }

    [Fact]
    public void The_host_plans_launch_and_provision_before_the_strategy_s_five()
    {
        var plan = ExecutionPlan.Create(new StrategyThat(LaunchedInstanceUse.ById), PipelineTargets.UpTo(PipelineTarget.RegisterImage), Parameters("--source-ami ami-0123456789abcdef0"));

        plan.TargetNames.Should().Equal(PipelineTargetOrder.All);
        plan.Targets[0].Implementation.Steps.Should().Contain(typeof(LaunchSourceInstance));
        plan.Targets[1].Implementation.NotApplicableReason.Should().Be("nothing to run: no --provision-script or --provision-file");
        plan.Targets.Skip(2).Should().OnlyContain(target => target.Implementation.NotApplicableReason == $"stand-in for {target.Target}");
    }

    [Fact]
    public void A_strategy_that_captures_an_instance_store_root_another_way_has_both_plans_until_the_root_is_known()
    {
        var plan = ExecutionPlan.Create(new StrategyByRoot(), PipelineTargets.UpTo(PipelineTarget.RegisterImage), Parameters("--source-ami ami-0123456789abcdef0"));

        plan.DependsOnRoot.Should().BeTrue();
        plan.InstanceStoreRootVariant(PipelineTarget.LaunchInstance)!.Implementation.Steps.Should().Contain(typeof(WaitForSsh), "the instance-store capture logs in");
        plan.InstanceStoreRootVariant(PipelineTarget.BundleVolume)!.Implementation.Steps.Should().Equal(typeof(CopyRootStandIn));
        plan.InstanceStoreRootVariant(PipelineTarget.ProvisionInstance).Should().BeNull("its plan is the same for both roots");

        var ebsRoot = plan.For(InstanceRoot.Ebs);
        ebsRoot.DependsOnRoot.Should().BeFalse();
        ebsRoot.Targets[0].Implementation.Steps.Should().NotContain([typeof(CreateTemporaryKeyPair), typeof(WaitForSsh)], "an EBS capture by id logs in to nothing");
        ebsRoot.Targets.Single(target => target.Target == PipelineTarget.BundleVolume).Implementation.Steps.Should().Equal(typeof(CreateImageStandIn));

        var instanceStoreRoot = plan.For(InstanceRoot.InstanceStore);
        instanceStoreRoot.DependsOnRoot.Should().BeFalse();
        instanceStoreRoot.Targets[0].Implementation.Steps.Should().Contain([typeof(CreateTemporaryKeyPair), typeof(CreateTemporarySecurityGroup), typeof(WaitForSsh)]);
        instanceStoreRoot.Targets.Single(target => target.Target == PipelineTarget.BundleVolume).Implementation.Steps.Should().Equal(typeof(CopyRootStandIn));
    }

    [Fact]
    public void A_strategy_that_captures_both_roots_alike_does_not_depend_on_the_root()
    {
        var plan = ExecutionPlan.Create(new StrategyThat(LaunchedInstanceUse.ById), PipelineTargets.UpTo(PipelineTarget.RegisterImage), Parameters("--source-ami ami-0123456789abcdef0"));

        plan.DependsOnRoot.Should().BeFalse();
        plan.For(InstanceRoot.InstanceStore).Targets.Should().Equal(plan.Targets);
    }

    private static ResolvedParameters Parameters(string arguments)
    {
        var catalog = new ParameterCatalog([.. HostParameters.All, .. PipelineTargets.HostPlannedParameters, CommonParameters.BackingStore, CommonParameters.Platform, CommonParameters.InstanceId, CommonParameters.InstanceHost, new Parameter<string>("image-file", "A disk image.")]);
        var resolved = ParameterResolver.Resolve(catalog, new ParameterInputs(CommandLine.Parse(arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)), new Dictionary<string, string>(), null, null));
        resolved.Errors.Should().BeEmpty();
        return resolved;
    }

    /// <summary>A strategy that captures a launched instance the given way and plans nothing of its own.</summary>
    private sealed class StrategyThat(LaunchedInstanceUse use) : IImageStrategy
    {
        public StrategyKey Key { get; } = new(BackingStore.InstanceStore, Platform.Linux);

        public string Description => "a strategy for plan tests";

        public IReadOnlyList<ParameterDefinition> Parameters => [];

        public TargetPlan Plan(PipelineTarget target, IParameterValues parameters) => TargetPlan.NotApplicable($"stand-in for {target}");

        public LaunchedInstanceUse UsesLaunchedInstance(IParameterValues parameters, InstanceRoot root) => use;
    }

    /// <summary>A strategy that captures an instance-store-backed instance over SSH with other steps, as the EBS strategy does for Linux.</summary>
    private sealed class StrategyByRoot : IImageStrategy
    {
        public StrategyKey Key { get; } = new(BackingStore.Ebs, Platform.Linux);

        public string Description => "a strategy whose capture depends on the root device";

        public IReadOnlyList<ParameterDefinition> Parameters => [];

        public TargetPlan Plan(PipelineTarget target, IParameterValues parameters) => Plan(target, parameters, InstanceRoot.Ebs);

        public TargetPlan Plan(PipelineTarget target, IParameterValues parameters, InstanceRoot root) => target switch
        {
            PipelineTarget.BundleVolume => root == InstanceRoot.InstanceStore ? TargetPlan.Run<CopyRootStandIn>() : TargetPlan.Run<CreateImageStandIn>(),
            _ => TargetPlan.NotApplicable($"stand-in for {target}"),
        };

        public LaunchedInstanceUse UsesLaunchedInstance(IParameterValues parameters, InstanceRoot root) =>
            root == InstanceRoot.InstanceStore ? LaunchedInstanceUse.OverSsh : LaunchedInstanceUse.ById;
    }

    private sealed class CreateImageStandIn : IPipelineStep
    {
        public Task RunAsync(StepContext context, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class CopyRootStandIn : IPipelineStep
    {
        public Task RunAsync(StepContext context, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
