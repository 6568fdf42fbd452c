using ImagePipeline.Testing;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>The recording loopback sshd (<see cref="RecordingLoopbackSshServer"/>) as the builtin bundler's tests use it.</summary>
public sealed class RecordingSshServerFixture : RecordingLoopbackSshServer;
