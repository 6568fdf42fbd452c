using System.Net.Sockets;
using ImagePipeline.Abstractions;
using Microsoft.Extensions.Logging;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace ImagePipeline.Instances.Remote;

/// <summary>
/// The one <see cref="IRemoteShell"/>: SSH.NET, key authentication only, and when the endpoint pins a host key, a
/// connection only to a host that shows it. Every way of failing to log in is one input error that names the fix.
/// </summary>
public sealed class SshRemoteShell : IRemoteShell
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    public async Task<IRemoteSession> ConnectAsync(SshEndpoint endpoint, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(logger);
        var (host, port, user, keyPath) = (endpoint.Host, endpoint.Port, endpoint.User, endpoint.PrivateKeyFile);
        var expected = endpoint.HostKeyFingerprint is { } pinned ? Normalize(pinned) : null;
        PrivateKeyFile key;
        if (InputFile.Problem(keyPath, $"The SSH key '{keyPath}'") is { } keyProblem)
        {
            throw PipelineException.Input(keyProblem);
        }

        try
        {
            key = new PrivateKeyFile(keyPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or SshException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw PipelineException.Input($"The SSH key '{keyPath}' cannot be read as an SSH private key ({exception.GetType().Name}); pass an unencrypted OpenSSH or PEM key with --ssh-key.", exception);
        }

        var info = new ConnectionInfo(host, port, user, new PrivateKeyAuthenticationMethod(user, key)) { Timeout = ConnectTimeout };
        var ssh = new SshClient(info);
        var sftp = new SftpClient(info);
        string? seen = null;
        void Check(object? sender, HostKeyEventArgs e)
        {
            seen = Normalize(e.FingerPrintSHA256);
            e.CanTrust = expected is null || string.Equals(expected, seen, StringComparison.Ordinal);
        }

        ssh.HostKeyReceived += Check;
        sftp.HostKeyReceived += Check;
        try
        {
            await ssh.ConnectAsync(cancellationToken);
            await sftp.ConnectAsync(cancellationToken);
        }
        catch (SshConnectionException exception) when (expected is not null && seen is not null && expected != seen)
        {
            Dispose(ssh, sftp, key);
            throw PipelineException.Input($"{host} showed host key SHA256:{seen}, not the --ssh-host-key-fingerprint given; check that you reach the right instance.", exception);
        }
        catch (SshAuthenticationException exception)
        {
            Dispose(ssh, sftp, key);
            throw PipelineException.Input($"{host} refused the login as '{user}' with the key '{keyPath}'; check --ssh-user and that the key is in the user's authorized_keys.", exception);
        }
        catch (Exception exception) when (exception is SocketException or SshException or TimeoutException or IOException)
        {
            Dispose(ssh, sftp, key);
            throw PipelineException.Input($"Cannot connect to {host}:{port} over SSH ({exception.Message.ReplaceLineEndings(" ")}); check the address (--instance-host, or the launched instance's), --ssh-port and the security group.", exception);
        }
        catch
        {
            Dispose(ssh, sftp, key);
            throw;
        }

        if (expected is null && seen is not null)
        {
            logger.HostKeyNotPinned(host, seen);
        }

        logger.Connected(host, port, user);
        return new SshRemoteSession(ssh, sftp, key, host, logger);
    }

    /// <summary>The fingerprint as compared: without the <c>SHA256:</c> prefix and base64 padding, as ssh-keygen prints it.</summary>
    private static string Normalize(string fingerprint) => fingerprint.Trim().Replace("SHA256:", string.Empty, StringComparison.Ordinal).TrimEnd('=');

    private static void Dispose(SshClient ssh, SftpClient sftp, PrivateKeyFile key)
    {
        sftp.Dispose();
        ssh.Dispose();
        key.Dispose();
    }
}
