using ImagePipeline.Strategies.InstanceStore.Buckets;
using ImagePipeline.Strategies.InstanceStore.Uploads;
using ImagePipeline.Strategies.InstanceStore.State;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using ImagePipeline.Strategies.InstanceStore.Certificates;
using ImagePipeline.Strategies.InstanceStore.Bundles;
using System.Text.Json;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Strategies.InstanceStore.Ssh;

/// <summary>
/// Reads the bundle in the volume bundler's report (<c>part</c> and <c>result</c> events; the others are read by
/// <see cref="VolumeBundlerEvents"/>). The instance is not trusted: a part must lie in the bundle's destination under
/// the bundle's name.
/// </summary>
public static class VolumeBundlerReport
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static StreamedBundlePart Part(JsonElement body, string destination, string name) =>
        Checked(body.Deserialize<StreamedBundlePart>(Options), destination, name);

    /// <summary>The bundle of a <c>result</c> event (also what DESTINATION/NAME.bundle.json holds).</summary>
    public static UnsignedBundle Result(JsonElement body, string destination, string name)
    {
        var bundle = body.GetProperty("bundle").Deserialize<UnsignedBundle>(Options)
            ?? throw new PipelineException("The volume bundler reported a result without a bundle.");
        if (bundle.Name != name)
        {
            throw new PipelineException($"The volume bundler reported a bundle named '{bundle.Name}', not '{name}'.");
        }

        return bundle with { Parts = bundle.Parts.Select(part => Checked(part, destination, name)).ToArray() };
    }

    private static StreamedBundlePart Checked(StreamedBundlePart? part, string destination, string name)
    {
        if (part is null
            || !BundleFiles.IsPartFileName(part.FileName, name)
            || part.Path != destination.TrimEnd('/') + "/" + part.FileName
            || part.Size is <= 0 or > 10 * 1024 * 1024
            || part.Md5Base64.Length != 24)
        {
            throw new PipelineException($"The volume bundler reported a part that is not one of bundle '{name}' in {destination}; the instance's report cannot be trusted.");
        }

        return part;
    }
}
