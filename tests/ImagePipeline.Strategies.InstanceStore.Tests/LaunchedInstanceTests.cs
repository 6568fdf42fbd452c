using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using ImagePipeline.Strategies.InstanceStore.Steps;
using ImagePipeline.Strategies.InstanceStore.Strategies;
using ImagePipeline.Testing;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>How the instance-store strategies plan and validate a run that launches its instance from a base image.</summary>
public sealed class LaunchedInstanceTests
{
    [Fact]
    public void A_launched_Linux_instance_is_bundled_live_over_SSH_like_instance_host()
    {
        var strategy = new InstanceStoreLinuxStrategy();
        var parameters = new TestParameterValues().With(CommonParameters.SourceAmi, "ami-12345678");

        var steps = PipelineTargetOrder.StrategyTargets.Select(target => strategy.Plan(target, parameters).Steps.Single().Name);

        strategy.UsesLaunchedInstance(parameters, InstanceRoot.Ebs).Should().Be(LaunchedInstanceUse.OverSsh);
        steps.Should().Equal("EnsureBundleBucket", "CopyPublicCertificatesToInstance", "RunBuiltinBundler", "UploadStreamedBundle", "RegisterBundledImage");
    }

    [Fact]
    public void A_launched_Windows_instance_is_bundled_by_id_with_BundleInstance()
    {
        var strategy = new InstanceStoreWindowsStrategy();

        strategy.UsesLaunchedInstance(new TestParameterValues().With(CommonParameters.SourceAmi, "ami-12345678"), InstanceRoot.InstanceStore).Should().Be(LaunchedInstanceUse.ById);
    }

    [Theory]
    [InlineData("source-ami", "--source-ami")]
    [InlineData("source-ami-filter", "--source-ami-filter")]
    public async Task An_image_file_with_a_base_image_to_launch_is_one_error_naming_both(string given, string named)
    {
        var parameters = new TestParameterValues().With(InstanceStoreParameters.ImageFile, "disk.img");
        parameters = given == "source-ami"
            ? parameters.With(CommonParameters.SourceAmi, "ami-12345678")
            : parameters.With(CommonParameters.SourceAmiFilter, ["name=base-*"]);
        var context = new ValidationContext(new StrategyKey(BackingStore.InstanceStore, Platform.Linux), PipelineTargetOrder.StrategyTargets, parameters);

        await new InstanceStoreLinuxStrategy().ValidateAsync(context, CancellationToken.None);

        context.Errors.Should().ContainSingle().Which.Should().Contain("--image-file").And.Contain(named).And.Contain("pass only one of them");
    }

    [Fact]
    public async Task Validation_for_an_instance_still_to_be_launched_checks_local_files_but_logs_in_nowhere()
    {
        var shell = new RefusingShell();
        var parameters = new TestParameterValues()
            .With(CommonParameters.SourceAmi, "ami-12345678")
            .With(InstanceStoreParameters.X509CertPath, "/nonexistent/cert.pem")
            .With(InstanceStoreParameters.Ec2CertPath, "/nonexistent/cert-ec2.pem")
            .With(InstanceStoreParameters.X509KeyPath, "/nonexistent/key.pem");
        var context = new ValidationContext(new StrategyKey(BackingStore.InstanceStore, Platform.Linux), PipelineTargetOrder.StrategyTargets, parameters);

        await new CopyPublicCertificatesToInstance(shell).ValidateAsync(context, CancellationToken.None);
        await new RunBuiltinBundler(null!, null!, shell, null!, TimeProvider.System).ValidateAsync(context, CancellationToken.None);

        shell.Connections.Should().Be(0, "the instance does not exist yet");
        context.Errors.Should().HaveCount(3).And.OnlyContain(error => error.Contains("does not exist", StringComparison.Ordinal));
        context.Errors.Should().NotContain(error => error.Contains("--ssh-key", StringComparison.Ordinal) || error.Contains("--instance-host", StringComparison.Ordinal));
    }

    private sealed class RefusingShell : IRemoteShell
    {
        public int Connections { get; private set; }

        public Task<IRemoteSession> ConnectAsync(SshEndpoint endpoint, Microsoft.Extensions.Logging.ILogger logger, CancellationToken cancellationToken)
        {
            Connections++;
            throw new InvalidOperationException("No connection is expected.");
        }
    }
}
