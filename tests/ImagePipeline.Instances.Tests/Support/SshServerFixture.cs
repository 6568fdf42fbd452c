using ImagePipeline.Testing;

namespace ImagePipeline.Instances.Tests;

/// <summary>The loopback sshd these tests log in to, recording every command line the client sends.</summary>
public sealed class SshServerFixture : RecordingLoopbackSshServer;
