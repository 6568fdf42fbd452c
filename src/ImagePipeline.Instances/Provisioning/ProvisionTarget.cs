using ImagePipeline.Abstractions;

namespace ImagePipeline.Instances.Provisioning;

/// <summary>ProvisionInstance's plan.</summary>
/// <remarks>A placeholder until the provisioning steps land: nothing to run yet.</remarks>
public static class ProvisionTarget
{
    public static TargetPlan Plan(IParameterValues parameters, Platform platform) =>
        TargetPlan.NotApplicable("nothing to run: no --provision-script or --provision-file");
}
