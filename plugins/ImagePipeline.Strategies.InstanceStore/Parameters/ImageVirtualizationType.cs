namespace ImagePipeline.Strategies.InstanceStore.Parameters;

/// <summary>How instances of the image are virtualized; typed as <c>hvm</c> or <c>paravirtual</c>.</summary>
public enum ImageVirtualizationType
{
    Hvm,
    Paravirtual,
}
