using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Parameters;

namespace ImagePipeline.Strategies.InstanceStore.Bundles;

/// <summary>The manifest's block device mapping (virtual name → device), as ec2-bundle-image writes it: ami, root and the ephemeral volumes.</summary>
public static class ManifestBlockDevices
{
    public static IReadOnlyDictionary<string, string> From(IParameterValues parameters)
    {
        var root = parameters.Get(InstanceStoreParameters.RootDeviceName);
        var mapping = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ami"] = root["/dev/".Length..],
            ["root"] = root,
        };
        foreach (var (device, virtualName) in InstanceStoreParameters.ParseBlockDeviceMappings(parameters.Get(InstanceStoreParameters.BlockDeviceMappings)))
        {
            mapping[virtualName] = device["/dev/".Length..];
        }

        return mapping;
    }
}
