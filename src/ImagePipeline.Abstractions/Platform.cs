namespace ImagePipeline.Abstractions;

/// <summary>The operating system of the image. Written on the command line as <c>linux</c> or <c>windows</c>.</summary>
public enum Platform
{
    Linux,
    Windows,
}
