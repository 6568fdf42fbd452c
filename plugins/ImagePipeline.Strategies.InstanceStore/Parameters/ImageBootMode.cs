namespace ImagePipeline.Strategies.InstanceStore.Parameters;

/// <summary>The boot mode of the image; typed as <c>legacy-bios</c>, <c>uefi</c> or <c>uefi-preferred</c>.</summary>
public enum ImageBootMode
{
    LegacyBios,
    Uefi,
    UefiPreferred,
}
