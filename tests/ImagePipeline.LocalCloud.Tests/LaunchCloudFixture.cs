namespace ImagePipeline.LocalCloud.Tests;

/// <summary>A local cloud whose launched instances answer on 127.0.0.1 and whose key pairs land in an authorized_keys file.</summary>
public sealed class LaunchCloudFixture : LocalCloudFixture
{
    public LaunchCloudFixture()
    {
        InstanceSshAddress = "127.0.0.1";
        AuthorizedKeysFile = Path.Combine(Directory, "authorized_keys");
    }
}
