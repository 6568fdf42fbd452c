using System.Net.Sockets;
using System.Text;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using Microsoft.Extensions.Logging;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace ImagePipeline.Strategies.InstanceStore.Ssh;

/// <summary>
/// An SSH connection to --instance-host (commands and SFTP), authenticated with --ssh-key and, when
/// --ssh-host-key-fingerprint is given, only to a host that shows that key.
/// </summary>
public sealed class InstanceConnection : IAsyncDisposable
{
    private readonly SshClient _ssh;
    private readonly SftpClient _sftp;
    private readonly ILogger _logger;

    private InstanceConnection(SshClient ssh, SftpClient sftp, string host, ILogger logger)
    {
        _ssh = ssh;
        _sftp = sftp;
        Host = host;
        _logger = logger;
    }

    /// <summary>
    /// Starts a remote shell command so that <c>$run</c> runs what follows as root: directly when the SSH user is root,
    /// else through <c>sudo -n</c> (never prompting), as /mnt and the bundle folder belong to root on an instance.
    /// </summary>
    public const string AsRoot = "if [ \"$(id -u)\" -eq 0 ]; then run=; else run='sudo -n'; fi; ";

    public string Host { get; }

    public SftpClient Sftp => _sftp;

    public static async Task<InstanceConnection> OpenAsync(IParameterValues parameters, ILogger logger, CancellationToken cancellationToken)
    {
        var host = parameters.Get(InstanceStoreParameters.InstanceHost);
        var port = parameters.Get(InstanceStoreParameters.SshPort);
        var user = parameters.Get(InstanceStoreParameters.SshUser);
        var keyPath = parameters.Get(InstanceStoreParameters.SshKey);
        var expected = parameters.GetOrDefault(InstanceStoreParameters.SshHostKeyFingerprint);
        PrivateKeyFile key;
        try
        {
            key = new PrivateKeyFile(keyPath);
        }
        catch (Exception exception) when (exception is IOException or SshException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw PipelineException.Input($"--ssh-key '{keyPath}' cannot be read as an SSH private key ({exception.GetType().Name}); pass an unencrypted OpenSSH or PEM key.", exception);
        }

        var info = new ConnectionInfo(host, port, user, new PrivateKeyAuthenticationMethod(user, key)) { Timeout = TimeSpan.FromSeconds(30) };
        var ssh = new SshClient(info);
        var sftp = new SftpClient(info);
        string? seen = null;
        void Check(object? sender, HostKeyEventArgs e)
        {
            seen = e.FingerPrintSHA256;
            e.CanTrust = expected is null || string.Equals(Normalize(expected), Normalize(seen), StringComparison.Ordinal);
        }

        ssh.HostKeyReceived += Check;
        sftp.HostKeyReceived += Check;
        try
        {
            await ssh.ConnectAsync(cancellationToken);
            await sftp.ConnectAsync(cancellationToken);
        }
        catch (SshConnectionException exception) when (expected is not null && seen is not null && Normalize(expected) != Normalize(seen))
        {
            Dispose(ssh, sftp, key);
            throw PipelineException.Input($"{host} showed host key SHA256:{Normalize(seen)}, not the --ssh-host-key-fingerprint given; check that you reach the right instance.", exception);
        }
        catch (SshAuthenticationException exception)
        {
            Dispose(ssh, sftp, key);
            throw PipelineException.Input($"{host} refused the login as '{user}' with --ssh-key '{keyPath}'; check --ssh-user and that the key is in the user's authorized_keys.", exception);
        }
        catch (Exception exception) when (exception is SocketException or SshException or TimeoutException or IOException)
        {
            Dispose(ssh, sftp, key);
            throw PipelineException.Input($"Cannot connect to {host}:{port} over SSH ({exception.Message.ReplaceLineEndings(" ")}); check --instance-host, --ssh-port and the security group.", exception);
        }

        if (expected is null && seen is not null)
        {
            logger.HostKeyNotPinned(host, Normalize(seen));
        }

        return new InstanceConnection(ssh, sftp, host, logger);
    }

    /// <summary>Opens a connection for a read-only check in validation; a connection problem becomes a validation error and null.</summary>
    public static async Task<InstanceConnection?> TryOpenForValidationAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await OpenAsync(context.Parameters, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, cancellationToken);
        }
        catch (PipelineException exception)
        {
            context.AddError(exception.Message);
            return null;
        }
    }

    /// <summary>Runs a command, logging its output line by line as it comes; returns how it ended ("exit status 1", "signal ABRT"), or null on success.</summary>
    public async Task<string?> RunAsync(string command, string what, CancellationToken cancellationToken) =>
        Describe(await RunAsync(command, what, line => _logger.RemoteOutput(LogLevel.Information, Host, line), line => _logger.RemoteOutput(LogLevel.Warning, Host, line), cancellationToken));

    /// <summary>Runs a command, handing each line of its standard output and standard error to the callbacks as it comes; returns its exit status (null when a signal ended it).</summary>
    public async Task<int?> RunAsync(string command, string what, Action<string> outputLine, Action<string> errorLine, CancellationToken cancellationToken)
    {
        _logger.RunningRemoteCommand(what, Host);
        using var ssh = _ssh.CreateCommand(command, Encoding.UTF8);
        var execution = ssh.ExecuteAsync(cancellationToken);
        var output = PumpAsync(ssh.OutputStream, outputLine, cancellationToken);
        var errors = PumpAsync(ssh.ExtendedOutputStream, errorLine, cancellationToken);
        try
        {
            await execution;
        }
        finally
        {
            await Task.WhenAll(output, errors);
        }

        return ssh.ExitStatus;
    }

    /// <summary>Reads a file as root (the bundle folder is root's), its bytes streamed back over the connection.</summary>
    public async Task<byte[]> ReadFileAsRootAsync(string path, CancellationToken cancellationToken)
    {
        using var ssh = _ssh.CreateCommand(AsRoot + $"exec $run cat -- {ShellQuoting.Quote(path)}");
        var execution = ssh.ExecuteAsync(cancellationToken);
        using var bytes = new MemoryStream();
        var copy = ssh.OutputStream.CopyToAsync(bytes, cancellationToken);
        using var errors = new StreamReader(ssh.ExtendedOutputStream, Encoding.UTF8);
        var error = errors.ReadToEndAsync(cancellationToken);
        await execution;
        await copy;
        return ssh.ExitStatus == 0
            ? bytes.ToArray()
            : throw new PipelineException($"Reading {path} on {Host} failed: {(await error).Trim().ReplaceLineEndings(" ")}");
    }

    /// <summary>Runs a command that must succeed and returns its standard output (for short answers: uname, a probe).</summary>
    public async Task<string> ReadAsync(string command, string what, CancellationToken cancellationToken)
    {
        var output = new StringBuilder();
        var errors = new StringBuilder();
        var status = await RunAsync(command, what, line => output.AppendLine(line), line => errors.AppendLine(line), cancellationToken);
        return status == 0
            ? output.ToString()
            : throw new PipelineException($"{what} on {Host} failed ({(status is { } code ? $"exit status {code}" : "signal")}): {errors.ToString().Trim().ReplaceLineEndings(" ")}");
    }

    /// <summary>Runs a command that must succeed, with a message naming what failed.</summary>
    public async Task RunCheckedAsync(string command, string what, CancellationToken cancellationToken)
    {
        if (await RunAsync(command, what, cancellationToken) is { } ending)
        {
            throw new PipelineException($"{what} on {Host} failed ({ending}); its output is in the log above.");
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose(_ssh, _sftp, null);
        return ValueTask.CompletedTask;
    }

    private static string Normalize(string fingerprint) => fingerprint.Trim().Replace("SHA256:", string.Empty, StringComparison.Ordinal).TrimEnd('=');

    private static void Dispose(SshClient ssh, SftpClient sftp, PrivateKeyFile? key)
    {
        sftp.Dispose();
        ssh.Dispose();
        key?.Dispose();
    }

    private static string? Describe(int? exitStatus) =>
        exitStatus == 0 ? null : exitStatus is { } status ? $"exit status {status}" : "a signal";

    private static async Task PumpAsync(Stream stream, Action<string> line, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            line(text);
        }
    }
}
