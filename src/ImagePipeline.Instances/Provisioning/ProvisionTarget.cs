using ImagePipeline.Abstractions;

namespace ImagePipeline.Instances.Provisioning;

/// <summary>How the host plans ProvisionInstance: over SSH on Linux, through SSM Run Command on Windows, or not at all.</summary>
public static class ProvisionTarget
{
    public static TargetPlan Plan(IParameterValues parameters, Platform platform)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Get(ProvisionParameters.Scripts).Length == 0 && parameters.Get(ProvisionParameters.Files).Length == 0)
        {
            return TargetPlan.NotApplicable("nothing to run: no --provision-script or --provision-file");
        }

        return platform == Platform.Windows ? TargetPlan.Run<ProvisionWithRunCommand>() : TargetPlan.Run<ProvisionOverSsh>();
    }
}
