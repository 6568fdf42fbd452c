using ImagePipeline.Testing;

namespace ImagePipeline.Strategies.Ebs.Tests;

/// <summary>
/// A local cloud whose launched instances answer on a loopback sshd (127.0.0.1, the launch key pair's public key in its
/// authorized_keys, as cloud-init does) and whose attached volumes show as files in <see cref="LocalCloudFixture.AttachedVolumeDirectory"/>,
/// named after the device: the loopback "instance" sees the volume the run attaches to it.
/// </summary>
public sealed class InstanceStoreLaunchCloudFixture : PipelineCloudFixture
{
    public InstanceStoreLaunchCloudFixture()
    {
        InstanceSshAddress = "127.0.0.1";
        AuthorizedKeysFile = Path.Combine(Ssh.Directory, "authorized_keys");
        AttachedVolumeDirectory = Path.Combine(Directory, "dev");
    }

    public LoopbackSshServer Ssh { get; } = new();

    public override async Task InitializeAsync()
    {
        await Ssh.InitializeAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Ssh.DisposeAsync();
    }
}
