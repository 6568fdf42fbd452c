namespace ImagePipeline.Abstractions;

/// <summary>Output names that tools around the pipeline (GitHub Actions, Cake) rely on.</summary>
public static class WellKnownOutputs
{
    public const string Bucket = "bucket";
    public const string ManifestLocation = "manifest-location";
    public const string ImageId = "image-id";

    /// <summary>A JSON object of region → image id, for images copied to several regions.</summary>
    public const string ImageIds = "image-ids";
    public const string Region = "region";
    public const string BundleDirectory = "bundle-directory";
    public const string BundledSize = "bundled-size";
}
