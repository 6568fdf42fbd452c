using ImagePipeline.Testing;

namespace ImagePipeline.Instances.Tests.VolumeBundling;

/// <summary>A local cloud whose attached volumes appear as device files, as on an instance.</summary>
public sealed class AttachedVolumeCloudFixture : LocalCloudFixture
{
    public AttachedVolumeCloudFixture()
    {
        AttachedVolumeDirectory = Path.Combine(Directory, "dev");
    }
}
