using ImagePipeline.Abstractions;

namespace ImagePipeline.Core.Planning;

/// <summary>The five pipeline targets, declared once: what each does and what runs before it.</summary>
public static class PipelineTargets
{
    public static IReadOnlyList<TargetDefinition> Definitions { get; } =
    [
        new(nameof(PipelineTarget.PrepareBucket), "Make sure the S3 bucket for the bundle exists in the run's region and is yours.", []),
        new(nameof(PipelineTarget.CopyCertificates), "Stage the X.509 certificate and private key where bundling can use them and never bundle them.", [nameof(PipelineTarget.PrepareBucket)]),
        new(nameof(PipelineTarget.BundleVolume), "Turn the volume into an image bundle (instance store) or capture it (EBS).", [nameof(PipelineTarget.CopyCertificates)]),
        new(nameof(PipelineTarget.UploadBundle), "Upload the bundle's parts and manifest to S3.", [nameof(PipelineTarget.BundleVolume)]),
        new(nameof(PipelineTarget.RegisterImage), "Register the image, wait until it is available, and publish it.", [nameof(PipelineTarget.UploadBundle)]),
    ];

    public static PipelineTarget Parse(string name) => Enum.Parse<PipelineTarget>(name, ignoreCase: true);
}
