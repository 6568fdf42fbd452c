using ImagePipeline.Abstractions;

namespace ImagePipeline.Strategies.InstanceStore.Ssh;

/// <summary>
/// The folder on the instance a run stages files in (--x509-upload-path): made fresh, 0700 and the SSH user's, so the
/// files copied over SFTP are readable by no one else; removed as root, whatever is in it, when the run ends.
/// </summary>
public static class RemoteStagingFolder
{
    // SSH.NET takes modes as their octal digits.
    public const short PrivateFileMode = 600;
    public const short ExecutableFileMode = 700;
    private const short PrivateFolderMode = 700;

    /// <summary>How the run record's entry is named in a refusal.</summary>
    public const string Description = "certificate folder on the instance";

    public static async Task CreateAsync(InstanceConnection connection, string directory, CancellationToken cancellationToken)
    {
        // mkdir without -p for the folder itself: it fails rather than reuse a folder someone else made. The folder is
        // made as root when needed (/mnt is root's) and handed to the SSH user, who copies the files into it over SFTP.
        var trimmed = directory.TrimEnd('/');
        var parent = ShellQuoting.Quote(trimmed[..Math.Max(1, trimmed.LastIndexOf('/'))]);
        var folder = ShellQuoting.Quote(directory);
        await connection.RunCheckedAsync(
            InstanceConnection.AsRoot + $"owner=\"$(id -u):$(id -g)\"; $run mkdir -p -- {parent} && $run mkdir -m 700 -- {folder} && $run chown \"$owner\" -- {folder}",
            "Creating the staging folder " + directory,
            cancellationToken);
        connection.Sftp.ChangePermissions(directory, PrivateFolderMode);
    }

    /// <summary>Copies a local file into the folder over SFTP, with <paramref name="mode"/> (octal digits: 600, 700).</summary>
    public static async Task CopyAsync(InstanceConnection connection, string localPath, string remotePath, short mode, CancellationToken cancellationToken)
    {
        await using var input = File.OpenRead(localPath);
        await connection.Sftp.UploadFileAsync(input, remotePath, cancellationToken);
        connection.Sftp.ChangePermissions(remotePath, mode);
    }

    public static Task RemoveAsync(InstanceConnection connection, string directory, CancellationToken cancellationToken) =>
        connection.RunCheckedAsync(InstanceConnection.AsRoot + $"$run rm -rf -- {ShellQuoting.Quote(directory)}", "Removing the staging folder " + directory, cancellationToken);

    /// <summary>
    /// The cleanup of the step that made the folder: removes the folder the run recorded, but only when it is the one
    /// the parameters name (the record is a file anyone who can write the work tree can edit, and this is rm -rf as root).
    /// </summary>
    public static async Task<CleanupOutcome> RemoveRecordedAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (!context.State.TryGet(InstanceStoreState.RemoteCertificateDirectory, out var directory))
        {
            return CleanupOutcome.NothingToUndo;
        }

        if (RecordedPaths.ProblemWithRemote(directory, StagedCertificateFiles.InRemoteDirectory(context.Parameters.Get(InstanceStoreParameters.X509UploadPath)).Directory, Description) is { } problem)
        {
            throw new PipelineException(problem);
        }

        await using var connection = await InstanceConnection.OpenAsync(context.Parameters, context.Logger, cancellationToken);
        await RemoveAsync(connection, directory, cancellationToken);
        context.State.Remove(InstanceStoreState.RemoteCertificateDirectory);
        return CleanupOutcome.Undone;
    }
}
