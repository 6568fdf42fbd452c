using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Parameters;
using ImagePipeline.Strategies.Ebs.Steps;

namespace ImagePipeline.Strategies.Ebs.Strategies;

/// <summary>
/// An EBS-backed image captured from a running or stopped instance with CreateImage (or, for an instance-store-backed
/// Linux instance, its root file system imaged onto a new volume and registered from its snapshot), then published: no
/// bucket, no bundle, no certificate. The Linux and Windows strategies differ only in what Windows allows and needs.
/// </summary>
public abstract class EbsStrategy : IImageStrategy
{
    private const string NoBucket = "EBS images live in EBS snapshots; no S3 bucket is involved.";

    public abstract StrategyKey Key { get; }

    public abstract string Description { get; }

    public IReadOnlyList<ParameterDefinition> Parameters => IsWindows ? CommonToBoth : LinuxParameters;

    private static readonly ParameterDefinition[] CommonToBoth =
    [
        CommonParameters.InstanceId,
        CommonParameters.SourceAmi,
        CommonParameters.SourceAmiFilter,
        CommonParameters.ImageName,
        CommonParameters.ImageDescription,
        CommonParameters.Tags,
        CommonParameters.ForceDeregister,
        CommonParameters.PollDelay,
        CommonParameters.MaxWait,
        CommonParameters.KeepOnFailure,
        CommonParameters.Region,
        EbsParameters.NoReboot,
        EbsParameters.LeaveStopped,
        EbsParameters.Generalize,
        EbsParameters.ExcludeDevices,
        EbsParameters.RootVolumeSize,
        EbsParameters.VolumeType,
        EbsParameters.SnapshotTags,
        EbsParameters.ShareWithAccounts,
        EbsParameters.ShareWithOrgArns,
        EbsParameters.DeprecateAt,
        EbsParameters.CopyToRegions,
        EbsParameters.EncryptCopies,
        EbsParameters.KmsKeyId,
        EbsParameters.ForceDeleteSnapshots,
    ];

    // An instance-store-backed Linux instance is logged in to and its root file system imaged onto a new volume.
    private static readonly ParameterDefinition[] InstanceStoreLinuxOnly =
    [
        CommonParameters.InstanceHost,
        CommonParameters.SshUser,
        CommonParameters.SshKey,
        CommonParameters.SshPort,
        CommonParameters.SshHostKeyFingerprint,
        .. VolumeImageParameters.All,
        EbsParameters.AttachedDevicePath,
    ];

    private static readonly ParameterDefinition[] LinuxParameters = [.. CommonToBoth, .. InstanceStoreLinuxOnly];

    protected bool IsWindows => Key.Platform == Platform.Windows;

    public TargetPlan Plan(PipelineTarget target, IParameterValues parameters) => target switch
    {
        PipelineTarget.PrepareBucket => TargetPlan.NotApplicable(NoBucket),
        PipelineTarget.CopyCertificates => TargetPlan.NotApplicable("EBS images are not bundled, so no X.509 certificate is involved."),
        PipelineTarget.UploadBundle => TargetPlan.NotApplicable("EBS images live in EBS snapshots; there is no bundle to upload."),
        PipelineTarget.BundleVolume => TargetPlan.Run([.. CaptureSteps(parameters)]),
        PipelineTarget.RegisterImage => TargetPlan.Run([.. PublishSteps(parameters)]),
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown target."),
    };

    /// <summary>
    /// An instance-store-backed Linux instance cannot be captured by CreateImage: its root file system is imaged onto a
    /// new EBS volume, which is snapshotted and registered. Windows keeps CreateImage's plan, which validation refuses
    /// for an instance-store root (AWS's rule).
    /// </summary>
    public TargetPlan Plan(PipelineTarget target, IParameterValues parameters, InstanceRoot root) =>
        target == PipelineTarget.BundleVolume && root == InstanceRoot.InstanceStore && !IsWindows
            ? TargetPlan.Run([.. InstanceStoreCaptureSteps])
            : Plan(target, parameters);

    /// <summary>
    /// CreateImage needs only the instance's id; imaging an instance-store root file system logs in over SSH;
    /// --generalize runs Sysprep through SSM, so the launch waits for its agent.
    /// </summary>
    public LaunchedInstanceUse UsesLaunchedInstance(IParameterValues parameters, InstanceRoot root) =>
        root == InstanceRoot.InstanceStore && !IsWindows ? LaunchedInstanceUse.OverSsh
        : IsWindows && parameters.Get(EbsParameters.Generalize) ? LaunchedInstanceUse.OverSsm
        : LaunchedInstanceUse.ById;

    public ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        if (context.WillRun(PipelineTarget.BundleVolume))
        {
            if (!InstanceSource.WillLaunch(parameters))
            {
                context.Require(CommonParameters.InstanceId, "to capture an EBS-backed image from an instance (or launch one with --source-ami)");
            }

            context.Require(CommonParameters.ImageName, "to name the new image");
        }

        var noReboot = parameters.Get(EbsParameters.NoReboot);
        var generalize = parameters.Get(EbsParameters.Generalize);
        if (IsWindows && noReboot)
        {
            context.AddError("--no-reboot is refused for Windows: a running Windows instance cannot be imaged consistently; leave it out (the instance is stopped, or generalized with --generalize).");
        }

        if (!IsWindows && generalize)
        {
            context.AddError("--generalize runs Sysprep, which only Windows has; leave it out for Linux (clean the instance yourself before imaging).");
        }

        if (!parameters.Get(EbsParameters.EncryptCopies) && parameters.IsSet(EbsParameters.KmsKeyId))
        {
            context.AddError("--kms-key-id encrypts the region copies, so it needs --encrypt-copies; add it, or leave out --kms-key-id.");
        }

        if (parameters.Get(EbsParameters.EncryptCopies) && parameters.Get(EbsParameters.CopyToRegions).Length == 0)
        {
            context.AddError("--encrypt-copies encrypts the copies made by --copy-to-regions, and none is asked for; add --copy-to-regions or leave out --encrypt-copies.");
        }

        if (parameters.Get(EbsParameters.ForceDeleteSnapshots) && !parameters.Get(CommonParameters.ForceDeregister))
        {
            context.AddError("--force-delete-snapshots deletes the snapshots of an image that --force-deregister replaces; add --force-deregister, or leave it out.");
        }

        return ValueTask.CompletedTask;
    }

    private static readonly Type[] InstanceStoreCaptureSteps =
    [
        typeof(ResolveImageName),
        typeof(CreateRootVolume),
        typeof(AttachRootVolume),
        typeof(CopyRootFileSystemToVolume),
        typeof(DetachRootVolume),
        typeof(SnapshotRootVolume),
        typeof(RegisterImageFromSnapshot),
    ];

    private IEnumerable<Type> CaptureSteps(IParameterValues parameters)
    {
        yield return typeof(ResolveImageName);
        if (IsWindows && parameters.Get(EbsParameters.Generalize))
        {
            yield return typeof(GeneralizeWithSysprep);
        }

        if (!parameters.Get(EbsParameters.NoReboot))
        {
            yield return typeof(StopSourceInstance);
        }

        yield return typeof(CreateImageFromInstance);
        yield return typeof(WaitForSnapshots);
    }

    private static IEnumerable<Type> PublishSteps(IParameterValues parameters)
    {
        yield return typeof(WaitForImageAvailable);
        if (parameters.Get(CommonParameters.ForceDeregister))
        {
            yield return typeof(ReplaceExistingImage);
        }

        yield return typeof(TagImageAndSnapshots);
        if (parameters.Get(EbsParameters.ShareWithAccounts).Length > 0 || parameters.Get(EbsParameters.ShareWithOrgArns).Length > 0)
        {
            yield return typeof(ShareImage);
        }

        if (parameters.IsSet(EbsParameters.DeprecateAt))
        {
            yield return typeof(DeprecateImage);
        }

        if (parameters.Get(EbsParameters.CopyToRegions).Length > 0)
        {
            yield return typeof(CopyImageToRegions);
        }

        yield return typeof(RecordImageIds);
    }
}
