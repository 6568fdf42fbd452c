using ImagePipeline.Abstractions;
using ImagePipeline.Instances.Provisioning;

namespace ImagePipeline.Instances.Launching;

/// <summary>What logs in to the launched instance, which decides whether a key pair, a security group and a wait for SSH or SSM are needed.</summary>
public enum LaunchConnection
{
    /// <summary>Nothing connects (an EBS capture without provisioning): no key pair, no security group.</summary>
    None,

    /// <summary>The strategy or the Linux provisioning logs in over SSH.</summary>
    Ssh,

    /// <summary>Windows provisioning, or the strategy (Sysprep), runs commands through SSM Run Command.</summary>
    Ssm,
}

/// <summary>Decides <see cref="LaunchConnection"/> from the parameters and the strategy.</summary>
public static class LaunchConnections
{
    public static LaunchConnection Of(IParameterValues parameters, IImageStrategy strategy, InstanceRoot root)
    {
        var platform = parameters.Get(CommonParameters.Platform);
        var provisions = ProvisionTarget.Plan(parameters, platform).IsApplicable;
        var use = strategy.UsesLaunchedInstance(parameters, root);
        return platform == Platform.Windows
            ? provisions || use == LaunchedInstanceUse.OverSsm ? LaunchConnection.Ssm : LaunchConnection.None
            : provisions || use == LaunchedInstanceUse.OverSsh ? LaunchConnection.Ssh : LaunchConnection.None;
    }
}
