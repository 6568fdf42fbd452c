using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Bundles;
using ImagePipeline.Strategies.InstanceStore.Certificates;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using ImagePipeline.Strategies.InstanceStore.Ssh;
using ImagePipeline.Strategies.InstanceStore.State;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Strategies.InstanceStore.Steps;

/// <summary>
/// BundleVolume for a live instance: runs --bundle-vol-command (ec2-bundle-vol by default) on the instance over SSH,
/// with the output streamed into the log, then reads the manifest it wrote. A bundle cut short is removed from the instance,
/// and so is a finished one once it is uploaded, or when a failed run is undone.
/// </summary>
public sealed class BundleLiveVolume(ICloudClients clients, IRemoteShell shell) : IPipelineStep
{
    public static readonly IReadOnlyList<string> Placeholders = ["key", "cert", "account_id", "x509_upload_path", "destination", "prefix", "architecture"];

    public ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        var unknown = CommandTemplate.UnknownPlaceholders(context.Parameters.Get(InstanceStoreParameters.BundleVolCommand), Placeholders);
        if (unknown.Count > 0)
        {
            context.AddError($"--bundle-vol-command uses {string.Join(", ", unknown.Select(name => "{" + name + "}"))}, which are not known; use {string.Join(" ", Placeholders.Select(name => "{" + name + "}"))}.");
        }

        // A resumed run's cleanup deletes in the folder its record names, over SSH: only the one this run's parameters name.
        if (context.ResumedState is { } resumed && resumed.TryGet(InstanceStoreState.BundleDirectory, out var recorded)
            && ProblemWithRecord(recorded, resumed.GetOrDefault(InstanceStoreState.BundlePrefix, "image"), context.Parameters) is { } problem)
        {
            context.AddError(problem);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>What a user whose instance lacks the AMI tools is told.</summary>
    public static string MissingTool(string host, string tool) =>
        $"{tool} is not installed on {host}; install the EC2 AMI tools there, or pass --bundler builtin (the default), which needs nothing on the instance.";

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var staged = StagedCertificateFiles.InRemoteDirectory(context.State.Get(InstanceStoreState.RemoteCertificateDirectory));
        var destination = parameters.Get(InstanceStoreParameters.InstanceBundleDestination);
        var prefix = BundlePrefixes.Of(context);
        context.State.Set(InstanceStoreState.BundleDirectory, destination);
        await context.CheckpointAsync(cancellationToken);

        var command = CommandTemplate.Fill(parameters.Get(InstanceStoreParameters.BundleVolCommand), new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["key"] = staged.KeyPath,
            ["cert"] = staged.CertificatePath,
            ["account_id"] = await AccountIds.ResolveAsync(parameters, clients, cancellationToken),
            ["x509_upload_path"] = staged.Directory,
            ["destination"] = destination,
            ["prefix"] = prefix,
            ["architecture"] = KebabCase.From(parameters.Get(InstanceStoreParameters.Architecture)),
        });

        await using var connection = await shell.ConnectAsync(InstanceSource.Ssh(context), context.Logger, cancellationToken);
        var tool = parameters.Get(InstanceStoreParameters.BundleVolCommand).Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        var folder = RemoteCommands.Quote(destination.TrimEnd('/'));
        var found = await connection.ReadAsync(
            RemoteCommands.AsRoot + $"command -v {RemoteCommands.Quote(tool)} >/dev/null || {{ echo missing; exit 0; }}; if $run test -d {folder}; then echo existed; else $run mkdir -p -m 700 -- {folder} && echo created; fi",
            "Preparing the bundle folder " + destination,
            cancellationToken);
        switch (found.Trim())
        {
            case "missing":
                throw PipelineException.Input(MissingTool(connection.Host, tool));
            case "created":
                // ec2-bundle-vol refuses a -d that does not exist, and creates none.
                context.State.Set(InstanceStoreState.CreatedRemoteDestination, destination);
                await context.CheckpointAsync(cancellationToken);
                break;
        }

        await connection.RunCheckedAsync(command, "Bundling the live volume", cancellationToken);

        var manifestPath = destination.TrimEnd('/') + "/" + BundleFiles.ManifestFileName(prefix);
        using var manifest = new MemoryStream();
        await connection.DownloadAsync(manifestPath, manifest, cancellationToken);
        manifest.Position = 0;
        var bundle = new RemoteBundle(prefix, destination, ManifestPartNames.Read(manifest, $"{connection.Host}:{manifestPath}"));
        context.State.Set(InstanceStoreState.RemoteBundle, bundle);
        context.Note = $"{bundle.PartFileNames.Count} parts on {connection.Host}";
    }

    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (!context.State.TryGet(InstanceStoreState.BundleDirectory, out var destination))
        {
            return CleanupOutcome.NothingToUndo;
        }

        // As the builtin bundler: a finished bundle stays on the instance for a later UploadBundle, or for --resume after
        // --keep-on-failure; once it is in S3, or the failed run is undone, it goes.
        var uploaded = context.Outcome == RunOutcome.Succeeded && context.FinalTarget.Reaches(PipelineTarget.UploadBundle);
        if (context.StepCompleted && !uploaded && !context.ShouldUndo)
        {
            return CleanupOutcome.Kept;
        }

        if (ProblemWithRecord(destination, BundlePrefixes.Of(context), context.Parameters) is { } problem)
        {
            throw new PipelineException(problem);
        }

        var prefix = RemoteCommands.Quote(BundlePrefixes.Of(context));
        var folder = RemoteCommands.Quote(destination.TrimEnd('/'));
        await using var connection = await shell.ConnectAsync(InstanceSource.Ssh(context), context.Logger, cancellationToken);

        // The image ec2-bundle-vol writes as -d/-p, its parts and its manifest.
        await connection.RunCheckedAsync(RemoteCommands.AsRoot + $"$run rm -f -- {folder}/{prefix} {folder}/{prefix}.part.* {folder}/{prefix}.manifest.xml", "Removing the bundle", cancellationToken);
        if (context.State.TryGet(InstanceStoreState.CreatedRemoteDestination, out var created) && created == destination)
        {
            await connection.RunCheckedAsync(RemoteCommands.AsRoot + $"$run rmdir -- {folder} 2>/dev/null || true", "Removing the bundle folder", cancellationToken);
            context.State.Remove(InstanceStoreState.CreatedRemoteDestination);
        }

        context.Logger.RemovedFromInstance($"the bundle {BundlePrefixes.Of(context)} (image, parts, manifest)", connection.Host);
        if (uploaded)
        {
            // The bundle is in S3 (and the run record knows it): the files on the instance were only a means.
            return CleanupOutcome.Kept;
        }

        context.State.Remove(InstanceStoreState.BundleDirectory);
        context.State.Remove(InstanceStoreState.RemoteBundle);
        return CleanupOutcome.Undone;
    }

    private static string? ProblemWithRecord(string recordedDirectory, string recordedPrefix, IParameterValues parameters) =>
        RecordedPaths.ProblemWithRemote(recordedDirectory, parameters.Get(InstanceStoreParameters.InstanceBundleDestination), RecordedPaths.InstanceBundleFolder)
        ?? RecordedPaths.ProblemWithName(recordedPrefix, RecordedPaths.BundlePrefix);
}
