using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using ImagePipeline.Strategies.InstanceStore.Steps;

namespace ImagePipeline.Strategies.InstanceStore.Strategies;

/// <summary>
/// instance-store/windows: has EC2 bundle a running instance-store Windows instance into S3 (BundleInstance), then
/// registers the bundle. AWS has retired this path; its refusal is reported with the way out (an EBS-backed image).
/// </summary>
public sealed class InstanceStoreWindowsStrategy : IImageStrategy
{
    public StrategyKey Key { get; } = new(BackingStore.InstanceStore, Platform.Windows);

    public string Description => "Have EC2 bundle a running instance-store Windows instance into S3 (BundleInstance) and register it as an AMI.";

    public IReadOnlyList<ParameterDefinition> Parameters { get; } =
    [
        InstanceStoreParameters.Bucket,
        InstanceStoreParameters.BundlePrefix,
        CommonParameters.InstanceId,
        CommonParameters.ImageName,
        CommonParameters.ImageDescription,
        CommonParameters.Tags,
        CommonParameters.ForceDeregister,
        InstanceStoreParameters.Architecture,
        InstanceStoreParameters.VirtualizationType,
        InstanceStoreParameters.BootMode,
        InstanceStoreParameters.EnaSupport,
        InstanceStoreParameters.ImdsSupport,
        InstanceStoreParameters.RootDeviceName,
        InstanceStoreParameters.BlockDeviceMappings,
        CommonParameters.Region,
        CommonParameters.PollDelay,
        CommonParameters.MaxWait,
    ];

    /// <summary>BundleInstance needs only the launched instance's id.</summary>
    public LaunchedInstanceUse UsesLaunchedInstance(IParameterValues parameters, InstanceRoot root) => LaunchedInstanceUse.ById;

    public TargetPlan Plan(PipelineTarget target, IParameterValues parameters) => target switch
    {
        PipelineTarget.PrepareBucket => TargetPlan.Run<EnsureBundleBucket>(),
        PipelineTarget.CopyCertificates => TargetPlan.NotApplicable("EC2 bundles and uploads the volume itself"),
        PipelineTarget.BundleVolume => TargetPlan.Run<BundleWindowsInstance>(),
        PipelineTarget.UploadBundle => TargetPlan.NotApplicable("EC2 bundles and uploads the volume itself"),
        PipelineTarget.RegisterImage => TargetPlan.Run<RegisterBundledImage>(),
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown target."),
    };
}
