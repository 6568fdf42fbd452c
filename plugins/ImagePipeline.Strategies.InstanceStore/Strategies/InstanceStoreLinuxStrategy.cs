using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using ImagePipeline.Strategies.InstanceStore.Steps;

namespace ImagePipeline.Strategies.InstanceStore.Strategies;

/// <summary>
/// instance-store/linux: bundles a local disk image (--image-file), or the live root volume of an instance over SSH
/// (--instance-host, or the instance the run launches from --source-ami), uploads the bundle to S3 and registers it as
/// an instance-store AMI.
/// </summary>
public sealed class InstanceStoreLinuxStrategy : IImageStrategy
{
    public StrategyKey Key { get; } = new(BackingStore.InstanceStore, Platform.Linux);

    public string Description => "Bundle a Linux disk image (or a live instance over SSH) into S3 and register it as an instance-store AMI.";

    public IReadOnlyList<ParameterDefinition> Parameters { get; } =
    [
        InstanceStoreParameters.Bucket,
        InstanceStoreParameters.BundlePrefix,
        InstanceStoreParameters.X509CertPath,
        InstanceStoreParameters.X509KeyPath,
        InstanceStoreParameters.X509KeyPassphrase,
        InstanceStoreParameters.ImageFile,
        InstanceStoreParameters.Ec2CertPath,
        InstanceStoreParameters.AccountId,
        InstanceStoreParameters.Architecture,
        InstanceStoreParameters.BundleDestination,
        InstanceStoreParameters.UploadConcurrency,
        InstanceStoreParameters.UploadAttempts,
        CommonParameters.ImageName,
        CommonParameters.ImageDescription,
        CommonParameters.Tags,
        CommonParameters.ForceDeregister,
        InstanceStoreParameters.VirtualizationType,
        InstanceStoreParameters.BootMode,
        InstanceStoreParameters.EnaSupport,
        InstanceStoreParameters.ImdsSupport,
        InstanceStoreParameters.RootDeviceName,
        InstanceStoreParameters.BlockDeviceMappings,
        InstanceStoreParameters.InstanceHost,
        InstanceStoreParameters.SshUser,
        InstanceStoreParameters.SshKey,
        InstanceStoreParameters.SshPort,
        InstanceStoreParameters.SshHostKeyFingerprint,
        InstanceStoreParameters.Bundler,
        InstanceStoreParameters.Volume,
        InstanceStoreParameters.VolumeSize,
        InstanceStoreParameters.VolumeExclude,
        InstanceStoreParameters.VolumeInclude,
        InstanceStoreParameters.VolumeNoFilter,
        InstanceStoreParameters.VolumeAllMounts,
        InstanceStoreParameters.VolumeFstab,
        InstanceStoreParameters.VolumeGenerateFstab,
        InstanceStoreParameters.VolumePartition,
        InstanceStoreParameters.KernelId,
        InstanceStoreParameters.RamdiskId,
        InstanceStoreParameters.X509UploadPath,
        InstanceStoreParameters.InstanceBundleDestination,
        InstanceStoreParameters.BundleVolCommand,
        InstanceStoreParameters.UploadFrom,
        InstanceStoreParameters.UploadBundleCommand,
        CommonParameters.Region,
        CommonParameters.PollDelay,
        CommonParameters.MaxWait,
    ];

    public TargetPlan Plan(PipelineTarget target, IParameterValues parameters)
    {
        var overSsh = parameters.IsSet(InstanceStoreParameters.InstanceHost) || InstanceSource.WillLaunch(parameters);
        var builtin = overSsh && parameters.Get(InstanceStoreParameters.Bundler) == LiveVolumeBundler.Builtin;
        return target switch
        {
            PipelineTarget.PrepareBucket => TargetPlan.Run<EnsureBundleBucket>(),
            PipelineTarget.CopyCertificates => !overSsh ? TargetPlan.Run<StageCertificatesLocally>()
                : builtin ? TargetPlan.Run<CopyPublicCertificatesToInstance>()
                : TargetPlan.Run<UploadCertificatesToInstance>(),
            PipelineTarget.BundleVolume => !overSsh ? TargetPlan.Run<BundleImageFile>()
                : builtin ? TargetPlan.Run<RunBuiltinBundler>()
                : TargetPlan.Run<BundleLiveVolume>(),
            PipelineTarget.UploadBundle => !overSsh ? TargetPlan.Run<UploadBundleParts>()
                : builtin ? TargetPlan.Run<UploadStreamedBundle>()
                : parameters.Get(InstanceStoreParameters.UploadFrom) == BundleUploadSource.Instance
                    ? TargetPlan.Run<UploadBundleFromInstance>()
                    : TargetPlan.Run(typeof(PullBundleFromInstance), typeof(UploadBundleParts)),
            PipelineTarget.RegisterImage => TargetPlan.Run<RegisterBundledImage>(),
            _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown target."),
        };
    }

    /// <summary>A launched instance is bundled as a live volume, over SSH.</summary>
    public LaunchedInstanceUse UsesLaunchedInstance(IParameterValues parameters, InstanceRoot root) => LaunchedInstanceUse.OverSsh;

    // What only the builtin volume bundler reads: how the live volume is imaged, and the image's size.
    private static readonly ParameterDefinition[] BuiltinBundlerOptions = [.. VolumeImageParameters.All, InstanceStoreParameters.VolumeSize];

    public ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        if (parameters.IsSet(InstanceStoreParameters.InstanceHost) && parameters.IsSet(InstanceStoreParameters.ImageFile))
        {
            context.AddError("--image-file and --instance-host both say what to bundle; pass only one of them.");
        }

        var live = parameters.IsSet(InstanceStoreParameters.InstanceHost) || InstanceSource.WillLaunch(parameters);
        if (live && parameters.Get(InstanceStoreParameters.Bundler) == LiveVolumeBundler.AmiTools)
        {
            foreach (var option in BuiltinBundlerOptions.Append(InstanceStoreParameters.KernelId).Append(InstanceStoreParameters.RamdiskId).Where(parameters.IsSet))
            {
                context.AddError($"{option} applies to --bundler builtin; with --bundler ami-tools pass ec2-bundle-vol's own option in --bundle-vol-command, or drop {option}.");
            }
        }

        if (!live)
        {
            // A disk image is bundled as it is: an option that shapes the live volume's imaging would be silently ignored.
            foreach (var option in BuiltinBundlerOptions.Where(parameters.IsSet))
            {
                context.AddError($"{option} applies to a live volume (--instance-host or --source-ami); a disk image (--image-file) is bundled as it is, so drop {option}.");
            }
        }

        foreach (var bootFile in new[] { InstanceStoreParameters.KernelId, InstanceStoreParameters.RamdiskId }.Where(parameters.IsSet))
        {
            if (parameters.Get(InstanceStoreParameters.VirtualizationType) != ImageVirtualizationType.Paravirtual)
            {
                context.AddError($"{bootFile} applies to paravirtual images only; pass {InstanceStoreParameters.VirtualizationType} paravirtual, or leave {bootFile} out (an HVM image boots its own kernel).");
            }
        }

        if (InstanceSource.WillLaunch(parameters) && parameters.IsSet(InstanceStoreParameters.ImageFile))
        {
            context.AddError($"--image-file and {(parameters.IsSet(CommonParameters.SourceAmi) ? "--source-ami" : "--source-ami-filter")} both say what to bundle (a disk image, or an instance launched from a base image); pass only one of them.");
        }

        return ValueTask.CompletedTask;
    }
}
