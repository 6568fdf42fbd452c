using Amazon.EC2.Model;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Instances.Launching;

/// <summary>
/// LaunchInstance, when something logs in and no <c>--ssh-key-pair-name</c> is given: makes a key pair named and tagged
/// for the run, its private key written 0600 into the step's secrets folder only. The cleanup removes the key file
/// always, and the key pair unless the instance is kept.
/// </summary>
public sealed class CreateTemporaryKeyPair(ICloudClients clients) : IPipelineStep
{
    private const string KeyFileName = "launch-key.pem";

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (context.State.TryGet(LaunchState.TemporaryKeyPair, out var existing))
        {
            if (File.Exists(KeyFile(context)))
            {
                context.Note = existing.KeyName;
                return;
            }

            // The private key went with the secrets of a run that stopped without its cleanups: the pair is useless now.
            context.Logger.KeyPairLost(existing.KeyName);
            await clients.Ec2().DeleteKeyPairAsync(new DeleteKeyPairRequest { KeyPairId = existing.KeyPairId }, cancellationToken);
            context.State.Remove(LaunchState.TemporaryKeyPair);
            await context.CheckpointAsync(cancellationToken);
        }

        var name = TemporaryResourceNames.For(context.RunId);
        var created = await clients.Ec2().CreateKeyPairAsync(
            new CreateKeyPairRequest
            {
                KeyName = name,
                KeyType = Amazon.EC2.KeyType.Rsa,
                KeyFormat = Amazon.EC2.KeyFormat.Pem,
                TagSpecifications = [TemporaryResourceNames.Tags("key-pair", context.RunId)],
            },
            cancellationToken);
        var response = created.KeyPair;
        var keyFile = KeyFile(context);
        context.State.Set(LaunchState.TemporaryKeyPair, new TemporaryKeyPair(name, response.KeyPairId, keyFile));
        await context.CheckpointAsync(cancellationToken);

        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(context.SecretsDirectory);
        }
        else
        {
            // Folder 0700 and file 0600 from the start: there is no moment when others could open the key.
            Directory.CreateDirectory(context.SecretsDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var writer = new StreamWriter(keyFile, System.Text.Encoding.ASCII, options))
        {
            await writer.WriteAsync(response.KeyMaterial.ReplaceLineEndings("\n").TrimEnd('\n') + "\n");
        }

        context.Logger.KeyPairCreated(name, response.KeyPairId);
        context.Note = name;
    }

    /// <summary>Where the private key is: always derived from the step's own secrets folder, never read back from the run record (which anyone who can write it could point elsewhere).</summary>
    private static string KeyFile(StepContext context) => Path.Combine(context.SecretsDirectory, KeyFileName);

    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (!context.State.TryGet(LaunchState.TemporaryKeyPair, out var keyPair))
        {
            return CleanupOutcome.NothingToUndo;
        }

        // The private key never outlives the run, whatever is kept: a resumed run makes a new pair (and so the step runs again).
        File.Delete(KeyFile(context));
        if (Directory.Exists(context.SecretsDirectory) && !Directory.EnumerateFileSystemEntries(context.SecretsDirectory).Any())
        {
            Directory.Delete(context.SecretsDirectory);
        }

        if (LaunchSourceInstance.KeepsInstance(context) is null)
        {
            await clients.Ec2().DeleteKeyPairAsync(new DeleteKeyPairRequest { KeyPairId = keyPair.KeyPairId }, cancellationToken);
            context.State.Remove(LaunchState.TemporaryKeyPair);
            context.Logger.KeyPairDeleted(keyPair.KeyName);
        }

        return CleanupOutcome.Undone;
    }
}
