namespace ImagePipeline.Strategies.Ebs.State;

/// <summary>The image CreateImage or RegisterImage made: its id, the name it was created under, and the name it must end up with.</summary>
internal sealed record CapturedImage(string ImageId, string CreatedName, string FinalName)
{
    /// <summary>True when the image was created under a temporary name because an image of the final name existed.</summary>
    public bool HasTemporaryName => !string.Equals(CreatedName, FinalName, StringComparison.Ordinal);
}
