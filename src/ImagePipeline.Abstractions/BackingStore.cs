namespace ImagePipeline.Abstractions;

/// <summary>Where the image's root volume lives. Written on the command line as <c>ebs</c> or <c>instance-store</c>.</summary>
public enum BackingStore
{
    Ebs,
    InstanceStore,
}
