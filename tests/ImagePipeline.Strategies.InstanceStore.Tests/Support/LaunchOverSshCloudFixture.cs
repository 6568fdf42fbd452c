namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>
/// The collection's kind of local cloud, whose launched instances are a loopback sshd (<see cref="ImagePipeline.Testing.LocalCloudFixture.InstanceSsh"/>;
/// the one with the test AMI tools). For bakes that start from a base image.
/// </summary>
public sealed class LaunchOverSshCloudFixture : InstanceStoreCloudFixture
{
    public LaunchOverSshCloudFixture() => InstanceSsh = Ssh;

    public SshServerFixture Ssh { get; } = new();
}
