namespace ImagePipeline.Strategies.InstanceStore.Parameters;

/// <summary>The CPU architecture written into the manifest and given to RegisterImage; typed as <c>x86_64</c>, <c>arm64</c> or <c>i386</c>.</summary>
public enum BundleArchitecture
{
    X86_64,
    Arm64,
    I386,
}
