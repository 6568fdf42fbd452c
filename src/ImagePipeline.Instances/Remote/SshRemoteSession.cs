using System.Globalization;
using System.Text;
using ImagePipeline.Abstractions;
using Microsoft.Extensions.Logging;
using Renci.SshNet;

namespace ImagePipeline.Instances.Remote;

/// <summary>An open SSH connection (commands) and SFTP channel to one host, made by <see cref="SshRemoteShell"/>.</summary>
internal sealed class SshRemoteSession(SshClient ssh, SftpClient sftp, PrivateKeyFile key, string host, ILogger logger) : IRemoteSession
{
    public string Host { get; } = host;

    public async Task<int?> RunAsync(string command, string what, Action<string> outputLine, Action<string> errorLine, CancellationToken cancellationToken)
    {
        logger.RunningRemoteCommand(what, Host);
        using var execution = ssh.CreateCommand(command, Encoding.UTF8);
        var running = execution.ExecuteAsync(cancellationToken);
        var output = PumpAsync(execution.OutputStream, outputLine, cancellationToken);
        var errors = PumpAsync(execution.ExtendedOutputStream, errorLine, cancellationToken);
        try
        {
            await running;
        }
        finally
        {
            await Task.WhenAll(output, errors);
        }

        return execution.ExitStatus;
    }

    public async Task<string?> RunAsync(string command, string what, CancellationToken cancellationToken) =>
        Describe(await RunAsync(
            command,
            what,
            line => logger.RemoteOutput(LogLevel.Information, Host, line),
            line => logger.RemoteOutput(LogLevel.Warning, Host, line),
            cancellationToken));

    public async Task RunCheckedAsync(string command, string what, CancellationToken cancellationToken)
    {
        if (await RunAsync(command, what, cancellationToken) is { } ending)
        {
            throw new PipelineException($"{what} on {Host} failed ({ending}); its output is in the log above.");
        }
    }

    public async Task<string> ReadAsync(string command, string what, CancellationToken cancellationToken)
    {
        var output = new StringBuilder();
        var errors = new StringBuilder();
        var status = await RunAsync(command, what, line => output.AppendLine(line), line => errors.AppendLine(line), cancellationToken);
        return status == 0
            ? output.ToString()
            : throw new PipelineException($"{what} on {Host} failed ({Describe(status)}): {errors.ToString().Trim().ReplaceLineEndings(" ")}");
    }

    public async Task<byte[]> ReadFileAsRootAsync(string path, CancellationToken cancellationToken)
    {
        using var execution = ssh.CreateCommand(RemoteCommands.AsRoot + $"exec $run cat -- {RemoteCommands.Quote(path)}");
        var running = execution.ExecuteAsync(cancellationToken);
        using var bytes = new MemoryStream();
        var copy = execution.OutputStream.CopyToAsync(bytes, cancellationToken);
        using var errors = new StreamReader(execution.ExtendedOutputStream, Encoding.UTF8);
        var error = errors.ReadToEndAsync(cancellationToken);
        await running;
        await copy;
        return execution.ExitStatus == 0
            ? bytes.ToArray()
            : throw new PipelineException($"Reading {path} on {Host} failed: {(await error).Trim().ReplaceLineEndings(" ")}");
    }

    public async Task UploadAsync(Stream content, string remotePath, int mode, CancellationToken cancellationToken)
    {
        await sftp.UploadFileAsync(content, remotePath, cancellationToken);
        sftp.ChangePermissions(remotePath, OctalDigits(mode));
    }

    public Task DownloadAsync(string remotePath, Stream destination, CancellationToken cancellationToken) =>
        sftp.DownloadFileAsync(remotePath, destination, cancellationToken);

    public Task DeleteAsync(string remotePath, CancellationToken cancellationToken) =>
        sftp.DeleteFileAsync(remotePath, cancellationToken);

    public Task ChangeModeAsync(string remotePath, int mode, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        sftp.ChangePermissions(remotePath, OctalDigits(mode));
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        sftp.Dispose();
        ssh.Dispose();
        key.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>SSH.NET takes a mode as its octal digits read as a decimal number (0600 as 600).</summary>
    private static short OctalDigits(int mode) =>
        mode is >= 0 and <= 0xFFF
            ? short.Parse(Convert.ToString(mode, 8), CultureInfo.InvariantCulture)
            : throw new ArgumentOutOfRangeException(nameof(mode), mode, "A file mode is 0 to 07777.");

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
