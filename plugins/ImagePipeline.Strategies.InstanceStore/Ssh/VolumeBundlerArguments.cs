using System.Globalization;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Bundles;
using ImagePipeline.Strategies.InstanceStore.Parameters;

namespace ImagePipeline.Strategies.InstanceStore.Ssh;

/// <summary>
/// The volume bundler's command line for a run (its options: docs/VOLUME-BUNDLER.md), from the host's parameters, and
/// the files of this machine it reads on the instance (a --volume-fstab, copied into the staging folder). An option of
/// the program that the host exposes is one parameter in <see cref="InstanceStoreParameters"/> and one line here.
/// </summary>
public static class VolumeBundlerArguments
{
    public static IReadOnlyList<string> For(IParameterValues parameters, VolumeBundlerStaging staging, string destination, string name)
    {
        var arguments = new List<string>
        {
            "--cert", staging.CertificatePath,
            "--ec2cert", staging.Ec2CertificatePath,
            "--volume", parameters.Get(InstanceStoreParameters.Volume),
            "--destination", destination,
            "--prefix", name,
            "--arch", KebabCase.From(parameters.Get(InstanceStoreParameters.Architecture)),
            "--exclude", staging.Directory,
            "--block-device-mapping", string.Join(',', ManifestBlockDevices.From(parameters).Select(pair => $"{pair.Key}={pair.Value}")),
            "--partition", KebabCase.From(parameters.Get(InstanceStoreParameters.VolumePartition)),
        };
        if (parameters.IsSet(InstanceStoreParameters.VolumeSize))
        {
            arguments.AddRange(["--size", parameters.Get(InstanceStoreParameters.VolumeSize).ToString(CultureInfo.InvariantCulture)]);
        }

        arguments.AddRange(parameters.Get(InstanceStoreParameters.VolumeExclude).SelectMany(path => new[] { "--exclude", path }));
        arguments.AddRange(parameters.Get(InstanceStoreParameters.VolumeInclude).SelectMany(path => new[] { "--include", path }));
        if (parameters.Get(InstanceStoreParameters.VolumeNoFilter))
        {
            arguments.Add("--no-filter");
        }

        if (parameters.Get(InstanceStoreParameters.VolumeAllMounts))
        {
            arguments.Add("--all");
        }

        if (parameters.IsSet(InstanceStoreParameters.VolumeFstab))
        {
            arguments.AddRange(["--fstab", staging.FstabPath]);
        }

        if (parameters.Get(InstanceStoreParameters.VolumeGenerateFstab))
        {
            arguments.Add("--generate-fstab");
        }

        if (parameters.GetOrDefault(InstanceStoreParameters.KernelId) is { } kernel)
        {
            arguments.AddRange(["--kernel", kernel]);
        }

        if (parameters.GetOrDefault(InstanceStoreParameters.RamdiskId) is { } ramdisk)
        {
            arguments.AddRange(["--ramdisk", ramdisk]);
        }

        return arguments;
    }

    /// <summary>The mistakes in these parameters that can be seen before anything is copied to the instance.</summary>
    public static void Validate(ValidationContext context)
    {
        var parameters = context.Parameters;
        if (parameters.IsSet(InstanceStoreParameters.VolumeFstab) && !File.Exists(parameters.Get(InstanceStoreParameters.VolumeFstab)))
        {
            context.AddError($"{InstanceStoreParameters.VolumeFstab} '{parameters.Get(InstanceStoreParameters.VolumeFstab)}' does not exist; pass the path of the file (on this machine) to write as the image's /etc/fstab.");
        }

        if (parameters.IsSet(InstanceStoreParameters.VolumeFstab) && parameters.Get(InstanceStoreParameters.VolumeGenerateFstab))
        {
            context.AddError($"{InstanceStoreParameters.VolumeFstab} and {InstanceStoreParameters.VolumeGenerateFstab} both say what the image's /etc/fstab is; pass one of them.");
        }
    }

    /// <summary>Copies the files of this machine the arguments name into the staging folder, before the program starts.</summary>
    public static Task StageInputsAsync(IRemoteSession connection, IParameterValues parameters, VolumeBundlerStaging staging, CancellationToken cancellationToken) =>
        parameters.IsSet(InstanceStoreParameters.VolumeFstab)
            ? RemoteStagingFolder.CopyAsync(connection, parameters.Get(InstanceStoreParameters.VolumeFstab), staging.FstabPath, RemoteStagingFolder.PrivateFileMode, cancellationToken)
            : Task.CompletedTask;
}
