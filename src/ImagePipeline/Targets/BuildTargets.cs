using ImagePipeline.Abstractions;
using ImagePipeline.Core.Planning;
using ImagePipeline.Instances.Launching;
using ImagePipeline.Instances.Provisioning;

namespace ImagePipeline.Targets;

/// <summary>Every target of the host, each declared once: the pipeline stages in order, then the utility targets.</summary>
internal static class BuildTargets
{
    public static IReadOnlyList<PipelineStageTarget> Pipeline { get; } =
    [
        new(PipelineTarget.LaunchInstance, "Launch an instance from a base image (--source-ami, --source-ami-filter) to capture, and wait until it is ready; terminated when the run ends.", LaunchParameters.All),
        new(PipelineTarget.ProvisionInstance, "Run the provisioning scripts and upload files on the instance (over SSH on Linux, SSM Run Command on Windows).", ProvisionParameters.All),
        new(PipelineTarget.PrepareBucket, "Make sure the S3 bucket for the bundle exists in the run's region and is yours."),
        new(PipelineTarget.CopyCertificates, "Stage the X.509 certificate and private key where bundling can use them and never bundle them."),
        new(PipelineTarget.BundleVolume, "Turn the volume into an image bundle (instance store) or capture it (EBS)."),
        new(PipelineTarget.UploadBundle, "Upload the bundle's parts and manifest to S3."),
        new(PipelineTarget.RegisterImage, "Register the image, wait until it is available, and publish it."),
    ];

    public static IReadOnlyList<UtilityTarget> Utilities { get; } =
        [new LocalCloudTarget(), new VerifyBundleTarget(), new UnbundleImageTarget(), new GenerateSchemaTarget()];

    public static ValidateTarget Validate { get; } = new();

    public static IReadOnlyList<BuildTarget> All { get; } = [.. Pipeline, Validate, .. Utilities];

    /// <summary>The parameters the targets themselves declare (each once, however many targets read it).</summary>
    public static IReadOnlyList<ParameterDefinition> Parameters { get; } = All.SelectMany(target => target.Parameters).Distinct().ToArray();

    /// <summary>A target by name, without regard to case or kebab spelling; unknown names are refused with the valid ones and the closest.</summary>
    public static BuildTarget Find(string name) =>
        All.FirstOrDefault(target => string.Equals(target.Name, name, StringComparison.OrdinalIgnoreCase) || KebabCase.From(target.Name) == name.ToLowerInvariant())
        ?? throw PipelineException.Input(PipelineTargets.UnknownTargetMessage(name, All.Select(target => target.Name)));
}
