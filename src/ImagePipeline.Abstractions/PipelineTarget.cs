namespace ImagePipeline.Abstractions;

/// <summary>
/// The build targets. Each target runs the ones before it, in the order of <see cref="PipelineTargetOrder.All"/>:
/// <c>LaunchInstance → ProvisionInstance → PrepareBucket → CopyCertificates → BundleVolume → UploadBundle → RegisterImage</c>.
/// </summary>
/// <remarks>
/// <see cref="LaunchInstance"/> and <see cref="ProvisionInstance"/> came in contract 1.2 and are declared last so that a
/// plugin built against 1.1 keeps the values it was compiled with: compare targets with
/// <see cref="PipelineTargetOrder"/>, never with <c>&lt;</c> or <c>&gt;</c>. The host plans these two itself (a strategy's
/// <see cref="IImageStrategy.Plan(PipelineTarget, IParameterValues)"/> is asked only for the five it implements).
/// </remarks>
public enum PipelineTarget
{
    PrepareBucket,
    CopyCertificates,
    BundleVolume,
    UploadBundle,
    RegisterImage,

    /// <summary>Starts an instance from a base image (<c>--source-ami</c>, <c>--source-ami-filter</c>), for the strategy to capture.</summary>
    LaunchInstance,

    /// <summary>Runs the provisioning scripts on the instance (over SSH on Linux, SSM Run Command on Windows).</summary>
    ProvisionInstance,
}
