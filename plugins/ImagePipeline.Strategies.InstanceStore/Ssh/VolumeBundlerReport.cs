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
/// Reads the volume bundler's report: one JSON object per line on its standard output, <c>event</c> naming the kind
/// (started, progress, warning, part, result, error; see docs/VOLUME-BUNDLER.md). The instance is not trusted: a line
/// that is not such an object is kept as plain output, and a part must lie in the bundle's destination under the
/// bundle's name.
/// </summary>
public static class VolumeBundlerReport
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>The event's kind and body, or null when the line is not an event.</summary>
    public static (string Kind, JsonElement Body)? Parse(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("event", out var kind) && kind.ValueKind == JsonValueKind.String
                ? (kind.GetString()!, document.RootElement.Clone())
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

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

    public static (string Phase, long Bytes, long Total) Progress(JsonElement body) =>
        (body.GetProperty("phase").GetString() ?? string.Empty, body.GetProperty("bytes").GetInt64(), body.GetProperty("totalBytes").GetInt64());

    public static string Message(JsonElement body) => body.TryGetProperty("message", out var message) ? message.GetString() ?? string.Empty : string.Empty;

    public static int ExitCode(JsonElement body) => body.TryGetProperty("exitCode", out var code) && code.TryGetInt32(out var value) ? value : 1;

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
