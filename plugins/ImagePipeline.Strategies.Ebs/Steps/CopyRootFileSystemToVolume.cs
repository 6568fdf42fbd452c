using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Parameters;
using ImagePipeline.Strategies.Ebs.State;
using ImagePipeline.Strategies.Ebs.Volumes;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagePipeline.Strategies.Ebs.Steps;

/// <summary>
/// Logs in to the instance-store-backed instance, finds the attached root volume there (by its NVMe name, /dev/xvdX,
/// /dev/sdX or --attached-device-path, waiting until it shows), and has the volume bundler image --volume onto it with
/// the live-volume options (the same rules as an instance-store bundle), from a 0700 staging folder left out of the
/// copy. Its cleanup stops the program if it still runs and removes the folder, after success too.
/// </summary>
public sealed class CopyRootFileSystemToVolume(IRemoteShell shell, IVolumeBundlerAgent agent, RootVolumeAttachment attachment, ResourceWaiter waiter) : IPipelineStep
{
    public async ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        VolumeImageArguments.Validate(context);
        if (InstanceSource.WillLaunch(parameters))
        {
            // The launch makes the key pair and waits for SSH; nothing to log in to yet.
            return;
        }

        var ready = context.Require(CommonParameters.InstanceHost, "to log in to the instance-store-backed --instance-id over SSH and image its root file system onto a new EBS volume");
        ready &= context.Require(CommonParameters.SshKey, "to log in to --instance-host");
        if (parameters.IsSet(CommonParameters.SshKey) && InputFile.Problem(parameters.Get(CommonParameters.SshKey), $"{CommonParameters.SshKey} '{parameters.Get(CommonParameters.SshKey)}'") is { } keyProblem)
        {
            context.AddError(keyProblem);
            ready = false;
        }

        if (!ready)
        {
            return;
        }

        // Read-only: the login, what runs there and whether it can run as root, before anything is created.
        try
        {
            await using var session = await shell.ConnectAsync(InstanceSource.Ssh(parameters), NullLogger.Instance, cancellationToken);
            foreach (var problem in await agent.ProblemsAsync(session, cancellationToken))
            {
                context.AddError(problem);
            }
        }
        catch (PipelineException exception)
        {
            context.AddError(exception.Message);
        }
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (EbsState.RootVolumeSnapshotted(context.State))
        {
            context.Note = "its snapshot exists";
            return;
        }

        var parameters = context.Parameters;
        var volumeId = context.State.Get(EbsState.RootVolume);
        var attachedAs = await attachment.EnsureAttachedAsync(context, cancellationToken);
        await using var session = await shell.ConnectAsync(InstanceSource.Ssh(context), context.Logger, cancellationToken);
        var staging = await StagingFolderAsync(context, session, cancellationToken);
        var device = await FindDeviceAsync(context, session, volumeId, attachedAs, cancellationToken);
        await VolumeImageArguments.StageInputsAsync(session, parameters, staging, cancellationToken);
        var volume = parameters.Get(VolumeImageParameters.Volume);
        context.Logger.ImagingOntoVolume(volume, session.Host, device, volumeId);
        using var follower = new VolumeWriteFollower(context, session.Host, volumeId);
        var exit = await agent.RunAsync(session, staging, ["--output-device", device, .. VolumeImageArguments.For(parameters, staging)], follower.OnOutput, context.Logger, cancellationToken);
        follower.EnsureWritten(exit);
        context.Note = $"{volume} on {session.Host} written onto {volumeId} ({device})";
    }

    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (!context.State.TryGet(EbsState.RemoteStagingDirectory, out var staging))
        {
            return CleanupOutcome.NothingToUndo;
        }

        // Only ever the folder this run's name gives, whatever the record says: this is rm -rf as root.
        if (staging != StagingDirectoryOf(context.RunId))
        {
            throw new PipelineException($"The run record names '{staging}' as the staging folder on the instance, not {StagingDirectoryOf(context.RunId)}; it was edited, so nothing was removed there.");
        }

        await using (var session = await shell.ConnectAsync(InstanceSource.Ssh(context), context.Logger, cancellationToken))
        {
            // Whatever the outcome: a program still writing would race the detach, and the folder holds only the program.
            await agent.StopAsync(session, staging, context.Logger, cancellationToken);
            await RemoteStagingFolder.RemoveAsync(session, staging, cancellationToken);
        }

        context.State.Remove(EbsState.RemoteStagingDirectory);
        return context.ShouldUndo ? CleanupOutcome.Undone : CleanupOutcome.Kept;
    }

    /// <summary>The staging folder of a run on the instance: under /mnt, which the volume bundler always leaves out of the image.</summary>
    public static string StagingDirectoryOf(string runId) => $"/mnt/imagepipeline-ebs-{runId}";

    /// <summary>Makes the staging folder, recorded first; a resumed run reuses it once a program an earlier attempt started there has ended.</summary>
    private async Task<string> StagingFolderAsync(StepContext context, IRemoteSession session, CancellationToken cancellationToken)
    {
        var staging = StagingDirectoryOf(context.RunId);
        if (context.State.TryGet(EbsState.RemoteStagingDirectory, out _)
            && (await session.ReadAsync($"if [ -d {RemoteCommands.Quote(staging)} ]; then echo yes; fi", "Looking for the staging folder", cancellationToken)).Trim() == "yes")
        {
            await agent.WaitForEarlierAsync(session, staging, cancellationToken);
            return staging;
        }

        context.State.Set(EbsState.RemoteStagingDirectory, staging);
        await context.CheckpointAsync(cancellationToken);
        await RemoteStagingFolder.CreateAsync(session, staging, cancellationToken);
        return staging;
    }

    /// <summary>Where the instance shows the volume attached as <paramref name="attachedAs"/>, waiting (with --poll-delay and --max-wait) until it does.</summary>
    private Task<string> FindDeviceAsync(StepContext context, IRemoteSession session, string volumeId, string attachedAs, CancellationToken cancellationToken)
    {
        var letter = AttachmentNames.LetterOf(attachedAs) ?? throw new PipelineException($"The run record names '{attachedAs}' as the root volume's device, which is not /dev/sdf…/dev/sdp.");
        var candidates = AttachmentNames.Candidates(context.Parameters, "d", volumeId);
        var probe = $"d={letter}; " + string.Concat(candidates.Select(candidate => $"if [ {candidate.Test} {candidate.Path} ]; then echo {candidate.Path}; exit 0; fi; "));
        var wait = WaitSettings.From(context.Parameters);
        return waiter.WaitAsync(
            $"volume {volumeId} to show on {session.Host}",
            async token => (await session.ReadAsync(probe, "Looking for the attached volume", token)).Trim() is { Length: > 0 } device
                ? WaitProbe<string>.Done(device)
                : WaitProbe<string>.Pending($"not at {attachedAs} yet"),
            wait.PollDelay,
            wait.MaxWait,
            progress: null,
            cancellationToken);
    }
}
