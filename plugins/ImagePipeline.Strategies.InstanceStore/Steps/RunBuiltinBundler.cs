using ImagePipeline.Strategies.InstanceStore.Buckets;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using ImagePipeline.Strategies.InstanceStore.Certificates;
using ImagePipeline.Strategies.InstanceStore.Bundles;
using System.Globalization;
using System.Text.Json;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Ssh;
using ImagePipeline.Strategies.InstanceStore.State;
using ImagePipeline.Strategies.InstanceStore.Uploads;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagePipeline.Strategies.InstanceStore.Steps;

/// <summary>
/// BundleVolume for a live instance with --bundler builtin: copies the volume bundler for the instance's architecture
/// into the staging folder, checks its SHA-256 there, runs it as root, and follows its report: progress into the host's
/// progress, each part uploaded as soon as it is on the instance's disk (when the run goes on to UploadBundle), and the
/// result turned into a manifest written and signed here, where the private key is. The program is removed when it
/// ends; Ctrl+C stops it (it removes its image, mount, loop device and parts itself). A resumed run picks up a bundle
/// the instance finished meanwhile (DESTINATION/NAME.bundle.json) instead of bundling again.
/// </summary>
public sealed class RunBuiltinBundler(ICloudClients clients, IManifestSealer sealer, IRemoteShell shell, IVolumeBundlerAgent agent, TimeProvider timeProvider) : IPipelineStep
{
    private const string RemoteFolderDescription = "bundle folder on the instance";

    public async ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        VolumeImageArguments.Validate(context);
        if (context.ResumedState?.TryGet(InstanceStoreState.BundleDirectory, out var recorded) == true
            && RecordedPaths.ProblemWithRemote(recorded, Destination(parameters), RemoteFolderDescription) is { } problem)
        {
            context.AddError(problem);
        }

        if (InstanceSource.WillLaunch(parameters) || !parameters.IsSet(InstanceStoreParameters.SshKey) || InputFile.Problem(parameters.Get(InstanceStoreParameters.SshKey), "--ssh-key") is not null)
        {
            return;
        }

        // Read-only: what runs there and whether it can run as root, before anything is copied. A connection problem
        // is reported once, by CopyCertificates.
        IRemoteSession connection;
        try
        {
            connection = await shell.ConnectAsync(InstanceSource.Ssh(parameters), NullLogger.Instance, cancellationToken);
        }
        catch (PipelineException)
        {
            return;
        }

        await using (connection)
        {
            foreach (var reason in await agent.ProblemsAsync(connection, cancellationToken))
            {
                context.AddError(reason);
            }

            if (parameters.Get(InstanceStoreParameters.UploadFrom) == BundleUploadSource.Instance && context.WillRun(PipelineTarget.UploadBundle)
                && (await connection.ReadAsync("if command -v curl >/dev/null; then echo curl; else echo no-curl; fi", "Looking for curl", cancellationToken)).Trim() == "no-curl")
            {
                context.AddError($"curl is not installed on {connection.Host}, and the instance uploads its parts with it (presigned PUTs): install curl there, or pass --upload-from host.");
            }
        }
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var staging = new VolumeBundlerStaging(context.State.Get(InstanceStoreState.RemoteCertificateDirectory));
        var destination = Destination(parameters);
        var name = BundlePrefixes.Of(context);
        await using var connection = await shell.ConnectAsync(InstanceSource.Ssh(context), context.Logger, cancellationToken);
        var sender = Sender(context, connection, staging);
        using var uploads = context.FinalTarget.Reaches(PipelineTarget.UploadBundle)
            ? new PartUploadQueue((part, token) => sender.UploadAsync(part, $"{name}/{part.FileName}", token), parameters.Get(InstanceStoreParameters.UploadConcurrency), context.Logger, timeProvider, cancellationToken)
            : null;

        UnsignedBundle? bundle = null;
        var resultPath = $"{destination}/{name}.bundle.json";
        var claimed = context.State.TryGet(InstanceStoreState.BundleDirectory, out var earlier) && earlier == destination;
        if (claimed)
        {
            // An earlier attempt of this run was cut short (the host was killed): its program may still be running, and
            // may finish the bundle; what it leaves under the bundle's name is this run's.
            await agent.WaitForEarlierAsync(connection, staging.Directory, cancellationToken);
            bundle = await TryReadResultAsync(connection, resultPath, destination, name, cancellationToken);
            if (bundle is not null)
            {
                context.Logger.FinishedBundleFound(connection.Host, resultPath);
            }
            else
            {
                await RemoveBundleFilesAsync(connection, destination, name, cancellationToken);
            }
        }
        else if (!await ExistsAsync(connection, destination, cancellationToken))
        {
            context.State.Set(InstanceStoreState.CreatedRemoteDestination, destination);
        }

        var bundledNow = bundle is null;
        if (bundle is null)
        {
            // Remembered before the program starts, so that whatever it leaves can be found and removed.
            context.State.Set(InstanceStoreState.BundleDirectory, destination);
            await context.CheckpointAsync(cancellationToken);
            bundle = await PartUploadQueue.WhileUploadingAsync(uploads, token => RunProgramAsync(context, connection, staging, destination, name, uploads, token), cancellationToken);
        }

        var overlap = 0.0;
        if (uploads is not null)
        {
            // Parts a resumed run found finished, or that were announced after the uploads stopped, go now.
            uploads.Add(bundle.Parts);
            overlap = await uploads.CompleteAsync();
            context.State.Set(InstanceStoreState.UploadOverlapSeconds, overlap);
            context.Logger.UploadedWhileBundling(uploads.Uploaded, bundle.Parts.Count, overlap);
        }

        var manifestPath = await sealer.WriteAsync(
            bundle,
            new ManifestSealRequest
            {
                AccountId = await AccountIds.ResolveAsync(parameters, clients, cancellationToken),
                PrivateKeyPath = parameters.Get(InstanceStoreParameters.X509KeyPath),
                PrivateKeyPassphrase = parameters.GetOrDefault(InstanceStoreParameters.X509KeyPassphrase),
            },
            Path.Combine(context.WorkDirectory, "manifest"),
            cancellationToken);
        context.State.Set(InstanceStoreState.InstanceBundle, new InstanceBundle(bundle, destination, manifestPath));
        context.Outputs.Set(WellKnownOutputs.BundledSize, bundle.BundledSize.ToString(CultureInfo.InvariantCulture));
        context.Logger.BundleSealed(bundle.Name, connection.Host, bundle.Parts.Count, bundle.BundledSize, manifestPath);
        context.Note = $"{BundleSizes.Describe(bundle.Parts.Count, bundle.BundledSize)} on {connection.Host}"
            + (bundledNow ? string.Empty : ", finished by an earlier attempt")
            + (uploads is null ? string.Empty
                : bundledNow ? string.Create(CultureInfo.InvariantCulture, $"; {uploads.Uploaded} uploaded while bundling (overlap {overlap:0.0} s)")
                : $"; {uploads.Uploaded} uploaded now");
    }

    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (!context.State.TryGet(InstanceStoreState.BundleDirectory, out var destination))
        {
            return CleanupOutcome.NothingToUndo;
        }

        // rm as root: only ever in the folder the parameters name, whatever the record says.
        if (RecordedPaths.ProblemWithRemote(destination, Destination(context.Parameters), RemoteFolderDescription) is { } problem)
        {
            throw new PipelineException(problem);
        }

        var uploaded = context.Outcome == RunOutcome.Succeeded && context.FinalTarget.Reaches(PipelineTarget.UploadBundle);
        if (!uploaded && !context.ShouldUndo)
        {
            // The bundle stays on the instance: for a later UploadBundle, or for --resume after --keep-on-failure.
            return CleanupOutcome.Kept;
        }

        var name = BundlePrefixes.Of(context);
        await using (var connection = await shell.ConnectAsync(InstanceSource.Ssh(context), context.Logger, cancellationToken))
        {
            if (context.State.TryGet(InstanceStoreState.RemoteCertificateDirectory, out var staging))
            {
                await agent.StopAsync(connection, staging, context.Logger, cancellationToken);
            }

            await RemoveBundleFilesAsync(connection, destination, name, cancellationToken);
            if (context.State.TryGet(InstanceStoreState.CreatedRemoteDestination, out var created) && created == destination)
            {
                await connection.RunCheckedAsync(RemoteCommands.AsRoot + $"$run rmdir -- {RemoteCommands.Quote(destination)} 2>/dev/null || true", "Removing the bundle folder", cancellationToken);
                context.State.Remove(InstanceStoreState.CreatedRemoteDestination);
            }

            context.Logger.RemovedFromInstance($"the bundle {name} (image, parts, report)", connection.Host);
        }

        if (uploaded)
        {
            // The bundle is in S3 (and the run record knows it): the parts on the instance were only a means.
            return CleanupOutcome.Kept;
        }

        await UploadedBundleCleanup.RunAsync(context, clients, cancellationToken);
        if (context.State.TryGet(InstanceStoreState.InstanceBundle, out var sealedBundle) && File.Exists(sealedBundle.ManifestPath)
            && BundledContentGuard.IsWithin(sealedBundle.ManifestPath, context.WorkDirectory))
        {
            File.Delete(sealedBundle.ManifestPath);
        }

        context.State.Remove(InstanceStoreState.InstanceBundle);
        context.State.Remove(InstanceStoreState.BundleDirectory);
        context.State.Remove(InstanceStoreState.UploadOverlapSeconds);
        context.Outputs.Remove(WellKnownOutputs.BundledSize);
        return CleanupOutcome.Undone;
    }

    private static string Destination(IParameterValues parameters) => parameters.Get(InstanceStoreParameters.InstanceBundleDestination).TrimEnd('/');

    private InstancePartSender Sender(StepContext context, IRemoteSession connection, VolumeBundlerStaging staging)
    {
        var s3 = clients.S3ForTransfers();
        var retry = new TransientFailureRetry(timeProvider, context.Logger) { MaxAttempts = context.Parameters.Get(InstanceStoreParameters.UploadAttempts) };
        var attemptedEarlier = context.State.GetOrDefault(InstanceStoreState.UploadedKeys, []).ToHashSet(StringComparer.Ordinal);
        var uploader = new BundleObjectUploader(s3, context.Parameters.Get(InstanceStoreParameters.Bucket), retry, context, attemptedEarlier);
        return new InstancePartSender(uploader, connection, s3, context.Parameters.Get(InstanceStoreParameters.UploadFrom), staging, context.RunId, timeProvider);
    }

    private async Task<UnsignedBundle> RunProgramAsync(
        StepContext context, IRemoteSession connection, VolumeBundlerStaging staging, string destination, string name, PartUploadQueue? uploads, CancellationToken cancellationToken)
    {
        await VolumeImageArguments.StageInputsAsync(connection, context.Parameters, staging.Directory, cancellationToken);
        using var run = new VolumeBundlerFollower(context, connection.Host, destination, name, uploads);
        var exit = await agent.RunAsync(connection, staging.Directory, VolumeBundlerArguments.For(context.Parameters, staging, destination, name), run.OnOutput, context.Logger, cancellationToken);
        foreach (var line in exit.ErrorLines)
        {
            run.OnError(line);
        }

        return run.Outcome(exit.ExitStatus);
    }

    private static Task RemoveBundleFilesAsync(IRemoteSession connection, string destination, string name, CancellationToken cancellationToken)
    {
        // The image, its mount point, the parts (finished and in progress) and the report: the names the program uses.
        var folder = RemoteCommands.Quote(destination);
        var prefix = RemoteCommands.Quote(name);
        return connection.RunCheckedAsync(
            RemoteCommands.AsRoot
            + $"cd {folder} 2>/dev/null || exit 0; $run rm -f -- {prefix} {prefix}.bundle.json {prefix}.bundle.json.inprogress {prefix}.part.* ; $run rmdir -- .{prefix}.mount 2>/dev/null; true",
            "Removing the bundle from the instance",
            cancellationToken);
    }

    private static async Task<bool> ExistsAsync(IRemoteSession connection, string path, CancellationToken cancellationToken) =>
        (await connection.ReadAsync(RemoteCommands.AsRoot + $"if $run test -e {RemoteCommands.Quote(path)}; then echo yes; else echo no; fi", "Checking the bundle folder", cancellationToken)).Trim() == "yes";

    private static async Task<UnsignedBundle?> TryReadResultAsync(IRemoteSession connection, string path, string destination, string name, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(connection, path, cancellationToken))
        {
            return null;
        }

        var bytes = await connection.ReadFileAsRootAsync(path, cancellationToken);
        UnsignedBundle bundle;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            bundle = VolumeBundlerReport.Result(document.RootElement, destination, name);
        }
        catch (JsonException)
        {
            return null;
        }

        // Finished only when every part it lists is still there, whole.
        var sizes = await connection.ReadAsync(
            RemoteCommands.AsRoot + "$run stat -c %s -- " + string.Join(' ', bundle.Parts.Select(part => RemoteCommands.Quote(part.Path))) + " 2>/dev/null || true",
            "Checking the finished bundle",
            cancellationToken);
        return sizes.Split('\n', StringSplitOptions.RemoveEmptyEntries).SequenceEqual(bundle.Parts.Select(part => part.Size.ToString(CultureInfo.InvariantCulture)))
            ? bundle
            : null;
    }
}
