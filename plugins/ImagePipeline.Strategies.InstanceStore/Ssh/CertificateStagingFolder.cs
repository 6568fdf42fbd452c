using ImagePipeline.Strategies.InstanceStore.Buckets;
using ImagePipeline.Strategies.InstanceStore.Uploads;
using ImagePipeline.Strategies.InstanceStore.State;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using ImagePipeline.Strategies.InstanceStore.Certificates;
using ImagePipeline.Strategies.InstanceStore.Bundles;
using ImagePipeline.Abstractions;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagePipeline.Strategies.InstanceStore.Ssh;

/// <summary>
/// The folder on the instance the instance-store strategy stages files in (--x509-upload-path): checked before the run,
/// made and removed through <see cref="RemoteStagingFolder"/> (fresh, 0700, the SSH user's; removed as root).
/// </summary>
public static class CertificateStagingFolder
{
    /// <summary>How the run record's entry is named in a refusal.</summary>
    public const string Description = "certificate folder on the instance";

    /// <summary>
    /// What every step that stages files on the instance checks: the local <paramref name="files"/> exist, the folder is
    /// apart from the bundle folder, a resumed run's record names this folder; then, when all that is there, a read-only
    /// login proves the host, the port, the user and the key before anything is created. An instance the run launches
    /// does not exist yet: its key is the launch's and there is nothing to log in to, so only the local checks apply.
    /// </summary>
    public static async ValueTask ValidateAsync(IRemoteShell shell, ValidationContext context, IEnumerable<Parameter<string>> files, bool ready, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var launched = InstanceSource.WillLaunch(parameters);
        if (!launched)
        {
            ready &= context.Require(InstanceStoreParameters.SshKey, "to log in to --instance-host");
        }

        foreach (var parameter in files.Append(InstanceStoreParameters.SshKey))
        {
            if (parameters.IsSet(parameter) && InputFile.Problem(parameters.Get(parameter), $"{parameter} '{parameters.Get(parameter)}'") is { } fileProblem)
            {
                context.AddError(fileProblem);
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

        if (ready && !launched)
        {
            try
            {
                await using var connection = await shell.ConnectAsync(InstanceSource.Ssh(parameters), NullLogger.Instance, cancellationToken);
            }
            catch (PipelineException exception)
            {
                context.AddError(exception.Message);
            }
        }
    }

    /// <summary>
    /// The cleanup of the step that made the folder: removes the folder the run recorded, but only when it is the one
    /// the parameters name (the record is a file anyone who can write the work tree can edit, and this is rm -rf as root).
    /// </summary>
    public static async Task<CleanupOutcome> RemoveRecordedAsync(IRemoteShell shell, StepContext context, CancellationToken cancellationToken)
    {
        if (!context.State.TryGet(InstanceStoreState.RemoteCertificateDirectory, out var directory))
        {
            return CleanupOutcome.NothingToUndo;
        }

        if (RecordedPaths.ProblemWithRemote(directory, StagedCertificateFiles.InRemoteDirectory(context.Parameters.Get(InstanceStoreParameters.X509UploadPath)).Directory, Description) is { } problem)
        {
            throw new PipelineException(problem);
        }

        await using var connection = await shell.ConnectAsync(InstanceSource.Ssh(context), context.Logger, cancellationToken);
        await RemoteStagingFolder.RemoveAsync(connection, directory, cancellationToken);
        context.State.Remove(InstanceStoreState.RemoteCertificateDirectory);
        return CleanupOutcome.Undone;
    }
}
