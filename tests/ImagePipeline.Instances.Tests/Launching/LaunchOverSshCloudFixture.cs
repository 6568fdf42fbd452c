using ImagePipeline.Testing;

namespace ImagePipeline.Instances.Tests.Launching;

/// <summary>
/// A local cloud whose launched instances answer on a loopback sshd: their address is 127.0.0.1, and the public key of
/// the key pair they are launched with lands in the sshd's authorized_keys, as cloud-init does.
/// </summary>
public sealed class LaunchOverSshCloudFixture : PipelineCloudFixture
{
    public LaunchOverSshCloudFixture()
    {
        InstanceSshAddress = "127.0.0.1";
        AuthorizedKeysFile = Path.Combine(Ssh.Directory, "authorized_keys");
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
