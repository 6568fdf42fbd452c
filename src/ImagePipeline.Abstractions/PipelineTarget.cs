namespace ImagePipeline.Abstractions;

/// <summary>The five build targets, in the order they run. Each target runs the ones before it.</summary>
public enum PipelineTarget
{
    PrepareBucket,
    CopyCertificates,
    BundleVolume,
    UploadBundle,
    RegisterImage,
}
