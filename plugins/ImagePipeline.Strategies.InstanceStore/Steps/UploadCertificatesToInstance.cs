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
public sealed class UploadCertificatesToInstance(IRemoteShell shell) : IPipelineStep
{
    public async ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var ready = context.Require(InstanceStoreParameters.X509CertPath, "to sign and encrypt the bundle");
        ready &= context.Require(InstanceStoreParameters.X509KeyPath, "to sign the bundle");
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

        await CertificateStagingFolder.ValidateAsync(shell, context, [InstanceStoreParameters.X509CertPath, InstanceStoreParameters.X509KeyPath], ready, cancellationToken);
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var staged = StagedCertificateFiles.InRemoteDirectory(parameters.Get(InstanceStoreParameters.X509UploadPath));
        await using var connection = await shell.ConnectAsync(InstanceSource.Ssh(context), context.Logger, cancellationToken);

        await RemoteStagingFolder.CreateAsync(connection, staged.Directory, cancellationToken);
        context.State.Set(InstanceStoreState.RemoteCertificateDirectory, staged.Directory);
        await context.CheckpointAsync(cancellationToken);

        foreach (var (local, remote) in new[] { (parameters.Get(InstanceStoreParameters.X509CertPath), staged.CertificatePath), (parameters.Get(InstanceStoreParameters.X509KeyPath), staged.KeyPath) })
        {
            await RemoteStagingFolder.CopyAsync(connection, local, remote, RemoteStagingFolder.PrivateFileMode, cancellationToken);
        }

        context.Logger.CertificatesCopiedToInstance(connection.Host, staged.Directory);
        context.Note = $"copied to {staged.Directory}";
    }

    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        // Always, whatever the outcome and --keep-on-failure: a private key is never left on the instance.
        var outcome = await CertificateStagingFolder.RemoveRecordedAsync(shell, context, cancellationToken);
        if (outcome == CleanupOutcome.Undone)
        {
            context.Logger.CertificatesRemovedFromInstance(InstanceSource.Ssh(context).Host, StagedCertificateFiles.InRemoteDirectory(context.Parameters.Get(InstanceStoreParameters.X509UploadPath)).Directory);
        }

        return outcome;
    }
}
