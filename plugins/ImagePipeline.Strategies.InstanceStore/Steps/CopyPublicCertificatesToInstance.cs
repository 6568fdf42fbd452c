using ImagePipeline.Strategies.InstanceStore.Buckets;
using ImagePipeline.Strategies.InstanceStore.Uploads;
using ImagePipeline.Strategies.InstanceStore.State;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using ImagePipeline.Strategies.InstanceStore.Certificates;
using ImagePipeline.Strategies.InstanceStore.Bundles;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Ssh;

namespace ImagePipeline.Strategies.InstanceStore.Steps;

/// <summary>
/// CopyCertificates for a live instance with --bundler builtin: copies the user's and EC2's public certificates over
/// SFTP into a fresh staging folder (--x509-upload-path, 0700), which the bundler leaves out of the image. The private
/// key never goes there: the manifest is written and signed on this machine. The folder is removed whenever the run ends.
/// </summary>
public sealed class CopyPublicCertificatesToInstance(IRemoteShell shell) : IPipelineStep
{
    public async ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        var ready = context.Require(InstanceStoreParameters.X509CertPath, "to encrypt the bundle key for you");
        ready &= context.Require(InstanceStoreParameters.Ec2CertPath, "so that EC2 can open the bundle");
        ready &= context.Require(InstanceStoreParameters.X509KeyPath, "to sign the manifest here (it is not copied to the instance)");
        await CertificateStagingFolder.ValidateAsync(shell, context, [InstanceStoreParameters.X509CertPath, InstanceStoreParameters.Ec2CertPath, InstanceStoreParameters.X509KeyPath], ready, cancellationToken);
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var staging = new VolumeBundlerStaging(StagedCertificateFiles.InRemoteDirectory(parameters.Get(InstanceStoreParameters.X509UploadPath)).Directory);
        await using var connection = await shell.ConnectAsync(InstanceSource.Ssh(context), context.Logger, cancellationToken);
        await RemoteStagingFolder.CreateAsync(connection, staging.Directory, cancellationToken);
        context.State.Set(InstanceStoreState.RemoteCertificateDirectory, staging.Directory);
        await context.CheckpointAsync(cancellationToken);

        await RemoteStagingFolder.CopyAsync(connection, parameters.Get(InstanceStoreParameters.X509CertPath), staging.CertificatePath, RemoteStagingFolder.PrivateFileMode, cancellationToken);
        await RemoteStagingFolder.CopyAsync(connection, parameters.Get(InstanceStoreParameters.Ec2CertPath), staging.Ec2CertificatePath, RemoteStagingFolder.PrivateFileMode, cancellationToken);
        context.Logger.PublicCertificatesCopied(connection.Host, staging.Directory);
        context.Note = $"public certificates only, to {staging.Directory}";
    }

    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        // Always, whatever the outcome: the folder also holds the program while it runs.
        var outcome = await CertificateStagingFolder.RemoveRecordedAsync(shell, context, cancellationToken);
        if (outcome == CleanupOutcome.Undone)
        {
            context.Logger.RemovedFromInstance("the staging folder (certificates, program)", InstanceSource.Ssh(context).Host);
        }

        return outcome;
    }
}
