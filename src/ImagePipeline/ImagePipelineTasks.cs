using System.Text.Json;
using ImagePipeline.Abstractions;
using ImagePipeline.Aws;
using ImagePipeline.Core.Parameters;
using ImagePipeline.Host;
using ImagePipeline.Output;

namespace ImagePipeline;

/// <summary>
/// ImagePipeline's targets for build code (Nuke, Cake, any program), one method per target, each running the targets
/// before it, exactly as <c>imagepipeline TARGET</c> would in the current folder (the same parameters, plugins, run
/// records, console output):
/// <code>var result = ImagePipelineTasks.RegisterImage(s => s.SetBackingStore(BackingStore.Ebs).SetInstanceId(id).SetAmiName("web-{date}"));</code>
/// A failure throws <see cref="ImagePipelineException"/>, whose kind is the command's exit code.
/// </summary>
public static class ImagePipelineTasks
{
    /// <summary>Launches the instance to capture from a base image (<c>--source-ami</c>); it is terminated when the call ends unless <see cref="ImagePipelineSettings.SetKeepInstance"/>.</summary>
    public static ImagePipelineResult LaunchInstance(Func<ImagePipelineSettings, ImagePipelineSettings>? configure = null) => Run(PipelineTarget.LaunchInstance.ToString(), configure);

    public static ImagePipelineResult ProvisionInstance(Func<ImagePipelineSettings, ImagePipelineSettings>? configure = null) => Run(PipelineTarget.ProvisionInstance.ToString(), configure);

    public static ImagePipelineResult PrepareBucket(Func<ImagePipelineSettings, ImagePipelineSettings>? configure = null) => Run(PipelineTarget.PrepareBucket.ToString(), configure);

    public static ImagePipelineResult CopyCertificates(Func<ImagePipelineSettings, ImagePipelineSettings>? configure = null) => Run(PipelineTarget.CopyCertificates.ToString(), configure);

    public static ImagePipelineResult BundleVolume(Func<ImagePipelineSettings, ImagePipelineSettings>? configure = null) => Run(PipelineTarget.BundleVolume.ToString(), configure);

    public static ImagePipelineResult UploadBundle(Func<ImagePipelineSettings, ImagePipelineSettings>? configure = null) => Run(PipelineTarget.UploadBundle.ToString(), configure);

    public static ImagePipelineResult RegisterImage(Func<ImagePipelineSettings, ImagePipelineSettings>? configure = null) => Run(PipelineTarget.RegisterImage.ToString(), configure);

    /// <summary>Every parameter and cloud check of the whole pipeline (read-only); nothing is created.</summary>
    public static ImagePipelineResult Validate(Func<ImagePipelineSettings, ImagePipelineSettings>? configure = null) => Run("Validate", configure);

    /// <summary>Runs <paramref name="target"/> (a pipeline target, or Validate) with <paramref name="settings"/>.</summary>
    /// <exception cref="ImagePipelineException">The target failed, the input was bad, or the call was cancelled.</exception>
    public static async Task<ImagePipelineResult> RunAsync(string target, ImagePipelineSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        ArgumentNullException.ThrowIfNull(settings);

        var summary = Path.Combine(Path.GetTempPath(), $"imagepipeline-{Guid.NewGuid():N}.json");
        var errors = new StringWriter();
        var output = settings.Output ?? Console.Out;
        using var error = new CopyingWriter(settings.Error ?? Console.Error, errors);
        try
        {
            var environment = HostEnvironment.ForCurrentFolder(ParameterInputs.ProcessEnvironment(), output, error);
            string[] args = [target, .. settings.ToArguments(), $"--output-json={summary}"];
            var exitCode = await BuildHost.RunAsync(args, environment, cancellationToken);
            var json = File.Exists(summary) ? JsonDocument.Parse(File.ReadAllText(summary)) : null;
            using (json)
            {
                if (exitCode != ExitCode.Success)
                {
                    throw new ImagePipelineException(
                        exitCode switch { ExitCode.UsageError => ImagePipelineFailureKind.InvalidInput, ExitCode.Cancelled => ImagePipelineFailureKind.Cancelled, _ => ImagePipelineFailureKind.TargetFailed },
                        Describe(target, exitCode, errors.ToString()),
                        json?.RootElement.GetProperty("runId").GetString());
                }

                return json is null
                    ? throw new InvalidOperationException($"ImagePipeline {target} succeeded but wrote no summary to {summary}.")
                    : ResultOf(json.RootElement);
            }
        }
        finally
        {
            File.Delete(summary);
        }
    }

    private static ImagePipelineResult Run(string target, Func<ImagePipelineSettings, ImagePipelineSettings>? configure)
    {
        var settings = (configure ?? (settings => settings))(new ImagePipelineSettings());
        return RunAsync(target, settings).GetAwaiter().GetResult();
    }

    private static string Describe(string target, int exitCode, string errorOutput)
    {
        var lines = errorOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("error: ", StringComparison.Ordinal))
            .Select(line => line["error: ".Length..])
            .ToArray();
        return lines.Length > 0 ? string.Join(Environment.NewLine, lines) : $"ImagePipeline {target} failed with exit code {exitCode}; the reason is printed above.";
    }

    private static ImagePipelineResult ResultOf(JsonElement summary)
    {
        var outputs = summary.GetProperty("outputs").EnumerateObject().ToDictionary(output => output.Name, output => output.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
        var imageId = outputs.GetValueOrDefault(WellKnownOutputs.ImageId);
        var region = outputs.GetValueOrDefault(WellKnownOutputs.Region);
        var imageIds = outputs.TryGetValue(WellKnownOutputs.ImageIds, out var idsJson)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(idsJson) ?? []
            : imageId is not null && region is not null ? new Dictionary<string, string> { [region] = imageId } : [];
        return new ImagePipelineResult
        {
            RunId = summary.GetProperty("runId").GetString(),
            Cloud = summary.GetProperty("cloud").GetString() == "local" ? CloudKind.Local : CloudKind.Aws,
            Strategy = summary.GetProperty("strategy").GetString() ?? string.Empty,
            Target = summary.GetProperty("target").GetString() ?? string.Empty,
            ImageId = imageId,
            ImageIds = imageIds,
            ManifestLocation = outputs.GetValueOrDefault(WellKnownOutputs.ManifestLocation),
            Bucket = outputs.GetValueOrDefault(WellKnownOutputs.Bucket),
            Region = region,
        };
    }
}
