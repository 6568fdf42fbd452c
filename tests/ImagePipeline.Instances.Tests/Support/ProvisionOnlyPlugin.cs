using ImagePipeline.Abstractions;
using ImagePipeline.Instances.Provisioning;
using Microsoft.Extensions.DependencyInjection;

namespace ImagePipeline.Instances.Tests;

/// <summary>
/// Runs ProvisionInstance's plan through the real engine as the first target (PrepareBucket), with nothing after it, until
/// the host plans LaunchInstance and ProvisionInstance itself: the steps, their validation, state and cleanup are the real ones.
/// </summary>
public sealed class ProvisionOnlyPlugin : IPipelinePlugin
{
    public void ConfigureServices(IServiceCollection services)
    {
        services.AddImageStrategy<LinuxProvisioning>();
        services.AddImageStrategy<WindowsProvisioning>();
    }

    public abstract class ProvisionOnlyStrategy(Platform platform) : IImageStrategy
    {
        public StrategyKey Key { get; } = new(BackingStore.Ebs, platform);

        public string Description => "Provisions an instance and captures nothing (tests).";

        public IReadOnlyList<ParameterDefinition> Parameters { get; } =
        [
            .. ProvisionParameters.All,
            CommonParameters.InstanceHost, CommonParameters.SshUser, CommonParameters.SshKey, CommonParameters.SshPort, CommonParameters.SshHostKeyFingerprint,
            CommonParameters.InstanceId, CommonParameters.SourceAmi, CommonParameters.PollDelay, CommonParameters.MaxWait, CommonParameters.Region,
        ];

        public TargetPlan Plan(PipelineTarget target, IParameterValues parameters) =>
            target == PipelineTarget.PrepareBucket ? ProvisionTarget.Plan(parameters, Key.Platform) : TargetPlan.NotApplicable("provisioning only");
    }

    public sealed class LinuxProvisioning() : ProvisionOnlyStrategy(Platform.Linux);

    public sealed class WindowsProvisioning() : ProvisionOnlyStrategy(Platform.Windows);
}
