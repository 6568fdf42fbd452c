namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>
/// The collection's kind of local cloud, whose launched instances answer on a loopback sshd (the one with the test AMI
/// tools): their address is 127.0.0.1, and the public key of the key pair they are launched with lands in the sshd's
/// authorized_keys, as cloud-init does. For bakes that start from a base image.
/// </summary>
public sealed class LaunchOverSshCloudFixture : InstanceStoreCloudFixture
{
    public LaunchOverSshCloudFixture()
    {
        InstanceSshAddress = "127.0.0.1";
        AuthorizedKeysFile = Path.Combine(Ssh.Directory, "authorized_keys");
    }

    public SshServerFixture Ssh { get; } = new();

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
