using ImagePipeline.Testing;

namespace ImagePipeline.Instances.Tests.Launching;

/// <summary>A local cloud whose launched instances are a loopback sshd (<see cref="LocalCloudFixture.InstanceSsh"/>).</summary>
public sealed class LaunchOverSshCloudFixture : PipelineCloudFixture
{
    public LaunchOverSshCloudFixture() => InstanceSsh = Ssh;

    public LoopbackSshServer Ssh { get; } = new();
}
