using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Ssh;
using ImagePipeline.Strategies.InstanceStore.State;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Strategies.InstanceStore.Steps;

/// <summary>
/// UploadBundle from this host, first half: pulls the instance's bundle over SFTP into the run's folder, so that
/// <see cref="UploadBundleParts"/> uploads it with this host's credentials. The copy is removed when the run
/// succeeds or is undone, and kept with --keep-on-failure so that --resume can upload it.
/// </summary>
public sealed class PullBundleFromInstance(IRemoteShell shell) : IPipelineStep
{
    private const string PulledFolderDescription = "pulled-bundle folder";

    public ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        if (context.ResumedWorkDirectory is { } workDirectory && context.ResumedState is { } resumed
            && resumed.TryGet(InstanceStoreState.PulledBundleDirectory, out var pulled)
            && RecordedPaths.ProblemWithLocal(pulled, workDirectory, PulledFolderDescription) is { } problem)
        {
            context.AddError(problem);
        }

        return ValueTask.CompletedTask;
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var remote = context.State.Get(InstanceStoreState.RemoteBundle);
        var directory = Path.Combine(context.WorkDirectory, "bundle-from-instance");
        context.State.Set(InstanceStoreState.PulledBundleDirectory, directory);
        await context.CheckpointAsync(cancellationToken);
        Directory.CreateDirectory(directory);

        await using var connection = await shell.ConnectAsync(InstanceSource.Ssh(context), context.Logger, cancellationToken);
        var parts = new List<StoredBundlePart>();
        using (var scope = context.Progress.Start($"Pulling the bundle from {connection.Host}", null))
        {
            foreach (var (name, index) in remote.PartFileNames.Select((name, index) => (name, index)))
            {
                var local = await PullAsync(connection, remote.PathOf(name), directory, name, cancellationToken);
                var size = new FileInfo(local).Length;
                parts.Add(new StoredBundlePart(index, name, local, size));
                scope.Advance(size);
            }
        }

        var manifest = await PullAsync(connection, remote.PathOf(remote.ManifestFileName), directory, remote.ManifestFileName, cancellationToken);
        context.State.Set(InstanceStoreState.Bundle, new StoredBundle(remote.Name, directory, manifest, parts, 0, parts.Sum(part => part.Size)));
        context.Logger.BundlePulled(parts.Count, connection.Host, directory);
    }

    public Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (!context.State.TryGet(InstanceStoreState.PulledBundleDirectory, out var directory))
        {
            return Task.FromResult(CleanupOutcome.NothingToUndo);
        }

        if (context.Outcome != RunOutcome.Succeeded && !context.ShouldUndo)
        {
            return Task.FromResult(CleanupOutcome.Kept);
        }

        if (RecordedPaths.ProblemWithLocal(directory, context.WorkDirectory, PulledFolderDescription) is { } problem)
        {
            throw new PipelineException(problem);
        }

        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        context.State.Remove(InstanceStoreState.PulledBundleDirectory);
        return Task.FromResult(CleanupOutcome.Undone);
    }

    private static async Task<string> PullAsync(IRemoteSession connection, string remotePath, string directory, string name, CancellationToken cancellationToken)
    {
        var local = Path.Combine(directory, name);
        await using var output = new FileStream(local, FileMode.Create, FileAccess.Write);
        await connection.DownloadAsync(remotePath, output, cancellationToken);
        return local;
    }
}
