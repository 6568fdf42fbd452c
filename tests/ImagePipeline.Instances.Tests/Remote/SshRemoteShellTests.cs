using System.Text;
using ImagePipeline.Abstractions;
using ImagePipeline.Instances.Remote;
using ImagePipeline.Testing;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Instances.Tests.Remote;

/// <summary>The one SSH implementation against a real sshd on 127.0.0.1.</summary>
public sealed class SshRemoteShellTests(SshServerFixture sshd) : IClassFixture<SshServerFixture>
{
    private readonly RecordingLoggerProvider _logs = new();

    [Fact]
    public async Task A_session_runs_commands_and_moves_files_with_the_modes_asked_for()
    {
        var folder = sshd.Subdirectory("session-" + Guid.NewGuid().ToString("N")[..8]);
        await using var session = await new SshRemoteShell().ConnectAsync(sshd.Endpoint, Logger(), CancellationToken.None);

        await session.UploadAsync(new MemoryStream(Encoding.UTF8.GetBytes("hello")), folder + "/file", 0b_110_000_000, CancellationToken.None);
        var answer = await session.ReadAsync($"stat -c %a {RemoteCommands.Quote(folder + "/file")}; cat {RemoteCommands.Quote(folder + "/file")}", "Reading it back", CancellationToken.None);
        var copy = new MemoryStream();
        await session.DownloadAsync(folder + "/file", copy, CancellationToken.None);
        var ending = await session.RunAsync("echo out; echo err >&2; exit 4", "Failing on purpose", CancellationToken.None);
        await session.DeleteAsync(folder + "/file", CancellationToken.None);

        answer.Split('\n')[0].Should().Be("600");
        answer.Split('\n')[1].Should().Be("hello");
        Encoding.UTF8.GetString(copy.ToArray()).Should().Be("hello");
        ending.Should().Be("exit status 4");
        _logs.Text.Should().Contain("Failing on purpose on 127.0.0.1").And.Contain("127.0.0.1: out").And.Contain("127.0.0.1: err");
        File.Exists(folder + "/file").Should().BeFalse();
    }

    [Fact]
    public async Task A_host_showing_another_host_key_is_refused_as_an_input_error()
    {
        var endpoint = sshd.Endpoint with { HostKeyFingerprint = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" };

        var connect = () => new SshRemoteShell().ConnectAsync(endpoint, Logger(), CancellationToken.None);

        var error = (await connect.Should().ThrowAsync<PipelineException>()).Which;
        error.Kind.Should().Be(PipelineErrorKind.Input);
        error.Message.Should().Be($"127.0.0.1 showed host key {sshd.HostKeyFingerprint}, not the --ssh-host-key-fingerprint given; check that you reach the right instance.");
    }

    [Fact]
    public async Task An_unpinned_host_key_is_accepted_and_its_fingerprint_logged()
    {
        await using var session = await new SshRemoteShell().ConnectAsync(sshd.Endpoint with { HostKeyFingerprint = null }, Logger(), CancellationToken.None);

        _logs.Text.Should().Contain($"Accepted the host key of 127.0.0.1 without checking it ({sshd.HostKeyFingerprint})");
    }

    [Fact]
    public async Task A_port_nobody_listens_on_is_an_input_error_naming_the_endpoint_and_the_fix()
    {
        var endpoint = sshd.Endpoint with { Port = 1 };

        var connect = () => new SshRemoteShell().ConnectAsync(endpoint, Logger(), CancellationToken.None);

        var error = (await connect.Should().ThrowAsync<PipelineException>()).Which;
        error.Kind.Should().Be(PipelineErrorKind.Input);
        error.Message.Should().StartWith("Cannot connect to 127.0.0.1:1 over SSH (").And.EndWith("); check the address (--instance-host, or the launched instance's), --ssh-port and the security group.");
    }

    [Fact]
    public async Task A_key_that_is_not_a_key_is_an_input_error_naming_the_file()
    {
        var key = Path.Combine(sshd.Subdirectory("keys"), "not-a-key");
        await File.WriteAllTextAsync(key, "this is not a key");

        var connect = () => new SshRemoteShell().ConnectAsync(sshd.Endpoint with { PrivateKeyFile = key }, Logger(), CancellationToken.None);

        (await connect.Should().ThrowAsync<PipelineException>()).Which.Message.Should().StartWith($"The SSH key '{key}' cannot be read as an SSH private key");
    }

    private ILogger Logger() => _logs.CreateLogger("test");
}
