using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Certificates;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using ImagePipeline.Strategies.InstanceStore.Ssh;
using ImagePipeline.Strategies.InstanceStore.State;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Strategies.InstanceStore.Steps;

/// <summary>
/// CopyCertificates for a live instance: copies the certificate and key over SFTP into --x509-upload-path (created 0700,
/// files 0600), a folder the bundle command leaves out of the image. The folder is removed whenever the run ends.
/// </summary>
public sealed class UploadCertificatesToInstance : IPipelineStep
{
    // SSH.NET takes modes as their octal digits.
    private const short PrivateFileMode = 600;
    private const short PrivateFolderMode = 700;
    private const string RemoteFolderDescription = "certificate folder on the instance";

    public async ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var ready = context.Require(InstanceStoreParameters.SshKey, "to log in to --instance-host");
        ready &= context.Require(InstanceStoreParameters.X509CertPath, "to sign and encrypt the bundle");
        ready &= context.Require(InstanceStoreParameters.X509KeyPath, "to sign the bundle");
        foreach (var parameter in new[] { InstanceStoreParameters.X509CertPath, InstanceStoreParameters.X509KeyPath, InstanceStoreParameters.SshKey })
        {
            if (parameters.IsSet(parameter) && !File.Exists(parameters.Get(parameter)))
            {
                context.AddError($"{parameter} '{parameters.Get(parameter)}' does not exist; pass the path of the key file.");
                ready = false;
            }
        }

        if (parameters.IsSet(InstanceStoreParameters.X509KeyPassphrase))
        {
            // The passphrase would have to travel on the remote command line, where other users and logs can see it.
            context.AddError("--x509-key-passphrase cannot be used with --instance-host: the bundle command on the instance needs an unencrypted key (it is copied 0600 and removed when the run ends).");
        }

        var uploadPath = parameters.Get(InstanceStoreParameters.X509UploadPath);
        if (!BundleExclusions.IsExcluded(uploadPath, parameters.Get(InstanceStoreParameters.BundleVolCommand)))
        {
            context.AddError(
                $"--x509-upload-path '{uploadPath}' would be copied into the image with the key in it; put it under /mnt (which the bundle command always leaves out), or pass it with -e {{x509_upload_path}} in --bundle-vol-command.");
        }

        if (BundleExclusions.Overlap(uploadPath, parameters.Get(InstanceStoreParameters.InstanceBundleDestination)))
        {
            context.AddError($"--x509-upload-path '{uploadPath}' and --instance-bundle-destination overlap; keep the key apart from the bundle that is uploaded.");
        }

        if (context.ResumedState?.TryGet(InstanceStoreState.RemoteCertificateDirectory, out var recorded) == true
            && RecordedPaths.ProblemWithRemote(recorded, StagedCertificateFiles.InRemoteDirectory(uploadPath).Directory, RemoteFolderDescription) is { } problem)
        {
            context.AddError(problem);
        }

        if (ready)
        {
            // Read-only: proves the host, the port, the user and the key before anything is created.
            await using var connection = await TryOpenAsync(context, cancellationToken);
        }
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var staged = StagedCertificateFiles.InRemoteDirectory(parameters.Get(InstanceStoreParameters.X509UploadPath));
        await using var connection = await InstanceConnection.OpenAsync(parameters, context.Logger, cancellationToken);

        // mkdir without -p for the folder itself: it fails rather than reuse a folder someone else made. The folder is
        // made as root when needed (/mnt is root's) and handed to the SSH user, who copies the files into it over SFTP.
        var parent = ShellQuoting.Quote(staged.Directory.TrimEnd('/')[..Math.Max(1, staged.Directory.TrimEnd('/').LastIndexOf('/'))]);
        var folder = ShellQuoting.Quote(staged.Directory);
        await connection.RunCheckedAsync(
            InstanceConnection.AsRoot + $"owner=\"$(id -u):$(id -g)\"; $run mkdir -p -- {parent} && $run mkdir -m 700 -- {folder} && $run chown \"$owner\" -- {folder}",
            "Creating the private key folder " + staged.Directory,
            cancellationToken);
        context.State.Set(InstanceStoreState.RemoteCertificateDirectory, staged.Directory);
        await context.CheckpointAsync(cancellationToken);

        connection.Sftp.ChangePermissions(staged.Directory, PrivateFolderMode);
        foreach (var (local, remote) in new[] { (parameters.Get(InstanceStoreParameters.X509CertPath), staged.CertificatePath), (parameters.Get(InstanceStoreParameters.X509KeyPath), staged.KeyPath) })
        {
            await using var input = File.OpenRead(local);
            await connection.Sftp.UploadFileAsync(input, remote, cancellationToken);
            connection.Sftp.ChangePermissions(remote, PrivateFileMode);
        }

        context.Logger.CertificatesCopiedToInstance(connection.Host, staged.Directory);
        context.Note = $"copied to {staged.Directory}";
    }

    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (!context.State.TryGet(InstanceStoreState.RemoteCertificateDirectory, out var directory))
        {
            return CleanupOutcome.NothingToUndo;
        }

        // rm -rf as root: only ever the folder the parameters name, whatever the record says.
        if (RecordedPaths.ProblemWithRemote(directory, StagedCertificateFiles.InRemoteDirectory(context.Parameters.Get(InstanceStoreParameters.X509UploadPath)).Directory, RemoteFolderDescription) is { } problem)
        {
            throw new PipelineException(problem);
        }

        // Always, whatever the outcome and --keep-on-failure: a private key is never left on the instance.
        await using var connection = await InstanceConnection.OpenAsync(context.Parameters, context.Logger, cancellationToken);
        await connection.RunCheckedAsync(InstanceConnection.AsRoot + $"$run rm -rf -- {ShellQuoting.Quote(directory)}", "Removing the key folder " + directory, cancellationToken);
        context.State.Remove(InstanceStoreState.RemoteCertificateDirectory);
        context.Logger.CertificatesRemovedFromInstance(connection.Host, directory);
        return CleanupOutcome.Undone;
    }

    private static async Task<InstanceConnection?> TryOpenAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await InstanceConnection.OpenAsync(context.Parameters, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, cancellationToken);
        }
        catch (PipelineException exception)
        {
            context.AddError(exception.Message);
            return null;
        }
    }
}
