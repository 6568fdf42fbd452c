namespace ImagePipeline.LocalCloud.Tests;

/// <summary>A local cloud whose attached volumes appear as files in <see cref="LocalCloudFixture.AttachedVolumeDirectory"/>.</summary>
public sealed class VolumeCloudFixture : LocalCloudFixture
{
    public VolumeCloudFixture()
    {
        AttachedVolumeDirectory = Path.Combine(Directory, "devices");
    }
}
