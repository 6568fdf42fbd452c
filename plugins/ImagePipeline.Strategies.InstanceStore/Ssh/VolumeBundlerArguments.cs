using System.Globalization;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Bundles;
using ImagePipeline.Strategies.InstanceStore.Parameters;

namespace ImagePipeline.Strategies.InstanceStore.Ssh;

/// <summary>
/// The volume bundler's command line for a bundle (its options: docs/VOLUME-BUNDLER.md): the bundle-only options from
/// <see cref="InstanceStoreParameters"/>, one line each here, after the imaging options every strategy shares
/// (<see cref="VolumeImageArguments"/>).
/// </summary>
public static class VolumeBundlerArguments
{
    public static IReadOnlyList<string> For(IParameterValues parameters, VolumeBundlerStaging staging, string destination, string name)
    {
        var arguments = new List<string>(VolumeImageArguments.For(parameters, staging.Directory))
        {
            "--cert", staging.CertificatePath,
            "--ec2cert", staging.Ec2CertificatePath,
            "--destination", destination,
            "--prefix", name,
            "--arch", KebabCase.From(parameters.Get(InstanceStoreParameters.Architecture)),
            "--block-device-mapping", string.Join(',', ManifestBlockDevices.From(parameters).Select(pair => $"{pair.Key}={pair.Value}")),
        };
        if (parameters.IsSet(InstanceStoreParameters.VolumeSize))
        {
            arguments.AddRange(["--size", parameters.Get(InstanceStoreParameters.VolumeSize).ToString(CultureInfo.InvariantCulture)]);
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
}
