using ImagePipeline.Testing;

namespace ImagePipeline.Strategies.Ebs.Tests;

/// <summary>
/// A local cloud whose launched instances are a loopback sshd (<see cref="LocalCloudFixture.InstanceSsh"/>) and whose
/// attached volumes show as files in <see cref="LocalCloudFixture.AttachedVolumeDirectory"/>, named after the device:
/// the loopback "instance" sees the volume the run attaches to it.
/// </summary>
public sealed class InstanceStoreLaunchCloudFixture : PipelineCloudFixture
{
    public InstanceStoreLaunchCloudFixture()
    {
        InstanceSsh = Ssh;
        AttachedVolumeDirectory = Path.Combine(Directory, "dev");
    }

    public LoopbackSshServer Ssh { get; } = new();
}
