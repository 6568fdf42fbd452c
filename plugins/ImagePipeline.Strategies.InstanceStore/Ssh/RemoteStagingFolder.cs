using ImagePipeline.Strategies.InstanceStore.Buckets;
using ImagePipeline.Strategies.InstanceStore.Uploads;
using ImagePipeline.Strategies.InstanceStore.State;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using ImagePipeline.Strategies.InstanceStore.Certificates;
using ImagePipeline.Strategies.InstanceStore.Bundles;
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

    /// <summary>
    /// What every step that stages files on the instance checks: the local <paramref name="files"/> exist, the folder is
    /// apart from the bundle folder, a resumed run's record names this folder; then, when all that is there, a read-only
    /// login proves the host, the port, the user and the key before anything is created.
    /// </summary>
    public static async ValueTask ValidateAsync(ValidationContext context, IEnumerable<Parameter<string>> files, bool ready, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        foreach (var parameter in files.Append(InstanceStoreParameters.SshKey))
        {
            if (parameters.IsSet(parameter) && !File.Exists(parameters.Get(parameter)))
            {
                context.AddError($"{parameter} '{parameters.Get(parameter)}' does not exist; pass the path of the file.");
                ready = false;
            }
        }

        var uploadPath = parameters.Get(InstanceStoreParameters.X509UploadPath);
        if (BundleExclusions.Overlap(uploadPath, parameters.Get(InstanceStoreParameters.InstanceBundleDestination)))
        {
            context.AddError($"--x509-upload-path '{uploadPath}' and --instance-bundle-destination overlap; keep the certificates apart from the bundle that is uploaded.");
        }

        if (context.ResumedState?.TryGet(InstanceStoreState.RemoteCertificateDirectory, out var recorded) == true
            && RecordedPaths.ProblemWithRemote(recorded, StagedCertificateFiles.InRemoteDirectory(uploadPath).Directory, Description) is { } problem)
        {
            context.AddError(problem);
        }

        if (ready)
        {
            await using var connection = await InstanceConnection.TryOpenForValidationAsync(context, cancellationToken);
        }
    }

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
