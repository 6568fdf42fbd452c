namespace ImagePipeline.Strategies.Ebs.Images;

/// <summary>
/// The name an image is created under while an image of its final name still exists: AMI names are unique per account
/// and region, and the old image must stay until the new one is available.
/// </summary>
internal static class TemporaryImageName
{
    private const int MaxLength = 128;

    public static string For(string finalName, string runId)
    {
        var suffix = $" (imagepipeline {runId})";
        var head = finalName.Length + suffix.Length <= MaxLength ? finalName : finalName[..(MaxLength - suffix.Length)];
        return head + suffix;
    }
}
