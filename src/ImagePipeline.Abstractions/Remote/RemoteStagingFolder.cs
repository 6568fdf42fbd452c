namespace ImagePipeline.Abstractions;

/// <summary>
/// A folder on the instance a step stages files in (the volume bundler, its inputs, certificates): made fresh, 0700 and
/// the SSH user's, so the files copied over SFTP are readable by no one else; removed as root, whatever is in it.
/// </summary>
public static class RemoteStagingFolder
{
    // File modes, written in binary so that each group of three bits reads as one octal digit: 0600, 0700.
    public const int PrivateFileMode = 0b_110_000_000;
    private const int PrivateFolderMode = 0b_111_000_000;

    public static async Task CreateAsync(IRemoteSession connection, string directory, CancellationToken cancellationToken)
    {
        // mkdir without -p for the folder itself: it fails rather than reuse a folder someone else made. The folder is
        // made as root when needed (/mnt is root's) and handed to the SSH user, who copies the files into it over SFTP.
        var trimmed = directory.TrimEnd('/');
        var parent = RemoteCommands.Quote(trimmed[..Math.Max(1, trimmed.LastIndexOf('/'))]);
        var folder = RemoteCommands.Quote(directory);
        await connection.RunCheckedAsync(
            RemoteCommands.AsRoot + $"owner=\"$(id -u):$(id -g)\"; $run mkdir -p -- {parent} && $run mkdir -m 700 -- {folder} && $run chown \"$owner\" -- {folder}",
            "Creating the staging folder " + directory,
            cancellationToken);
        await connection.ChangeModeAsync(directory, PrivateFolderMode, cancellationToken);
    }

    /// <summary>Copies a local file into the folder over SFTP, with <paramref name="mode"/> (<see cref="PrivateFileMode"/> for a file only the SSH user may read).</summary>
    public static async Task CopyAsync(IRemoteSession connection, string localPath, string remotePath, int mode, CancellationToken cancellationToken)
    {
        await using var input = File.OpenRead(localPath);
        await connection.UploadAsync(input, remotePath, mode, cancellationToken);
    }

    public static Task RemoveAsync(IRemoteSession connection, string directory, CancellationToken cancellationToken) =>
        connection.RunCheckedAsync(RemoteCommands.AsRoot + $"$run rm -rf -- {RemoteCommands.Quote(directory)}", "Removing the staging folder " + directory, cancellationToken);
}
