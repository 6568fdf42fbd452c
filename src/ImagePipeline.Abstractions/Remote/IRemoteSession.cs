namespace ImagePipeline.Abstractions;

/// <summary>One SSH connection to an instance: commands (their output logged or handed back line by line) and SFTP.</summary>
public interface IRemoteSession : IAsyncDisposable
{
    /// <summary>The host name or address it is connected to, for messages.</summary>
    string Host { get; }

    /// <summary>
    /// Runs a command, handing each line of its standard output and standard error to the callbacks as it comes;
    /// returns its exit status (null when a signal ended it). <paramref name="what"/> names it in the log, never the
    /// command itself (which may carry a path a user would rather not see logged).
    /// </summary>
    Task<int?> RunAsync(string command, string what, Action<string> outputLine, Action<string> errorLine, CancellationToken cancellationToken);

    /// <summary>Runs a command, logging its output line by line; returns how it ended ("exit status 1", "a signal"), or null on success.</summary>
    Task<string?> RunAsync(string command, string what, CancellationToken cancellationToken);

    /// <summary>Runs a command that must succeed; throws a <see cref="PipelineException"/> naming <paramref name="what"/> otherwise.</summary>
    Task RunCheckedAsync(string command, string what, CancellationToken cancellationToken);

    /// <summary>Runs a command that must succeed and returns its standard output (for short answers: uname, a probe).</summary>
    Task<string> ReadAsync(string command, string what, CancellationToken cancellationToken);

    /// <summary>Reads a file as root (through <see cref="RemoteCommands.AsRoot"/>), its bytes streamed back over the connection.</summary>
    Task<byte[]> ReadFileAsRootAsync(string path, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="content"/> to <paramref name="remotePath"/> over SFTP, as the login user, then sets its mode (octal, for example <c>0x180</c> for 0600).</summary>
    Task UploadAsync(Stream content, string remotePath, int mode, CancellationToken cancellationToken);

    /// <summary>Copies a file the login user can read into <paramref name="destination"/> over SFTP.</summary>
    Task DownloadAsync(string remotePath, Stream destination, CancellationToken cancellationToken);

    /// <summary>Deletes a file the login user owns over SFTP.</summary>
    Task DeleteAsync(string remotePath, CancellationToken cancellationToken);

    /// <summary>Sets the mode of a file or folder the login user owns over SFTP.</summary>
    Task ChangeModeAsync(string remotePath, int mode, CancellationToken cancellationToken);
}
