using System.Globalization;
using System.Text;
using ImagePipeline.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagePipeline.Instances.Provisioning;

/// <summary>
/// ProvisionInstance on Linux, over SSH: copies --provision-file items into place as root, then runs each
/// --provision-script as root, in order, its output streamed into the log with every secret masked. Everything travels
/// through a private staging folder (0700) that is removed whatever the outcome; the --provision-env values reach the
/// scripts through a 0600 file in it, never a command line (which ps and the SSH exec request would show).
/// </summary>
public sealed class ProvisionOverSsh(IRemoteShell shell) : IPipelineStep
{
    // File modes, written in binary so that each group of three bits reads as one octal digit: 0600, 0700.
    private const int PrivateFileMode = 0b_110_000_000;
    private const int PrivateExecutableMode = 0b_111_000_000;

    /// <summary>Reads the values file into the environment, then runs the script: the values never reach a command line.</summary>
    private const string Wrapper = "set -a\n. \"$1\"\nset +a\nshift\nexec \"$@\"\n";

    public async ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        ProvisionInputs.Validate(context);
        foreach (var (source, _) in ProvisionParameters.ParseFiles(parameters.Get(ProvisionParameters.Files)))
        {
            foreach (var problem in ProvisionFileProblems(source))
            {
                context.AddError(problem);
            }
        }

        // An instance the run launches does not exist yet: there is nothing to log in to before LaunchInstance.
        if (InstanceSource.WillLaunch(parameters))
        {
            return;
        }

        var ready = context.Require(CommonParameters.InstanceHost, "to say which instance to provision over SSH (or pass --source-ami to launch one)");
        ready &= context.Require(CommonParameters.SshKey, "to log in to --instance-host");
        var keyProblem = ready ? InputFile.Problem(parameters.Get(CommonParameters.SshKey), $"--ssh-key '{parameters.Get(CommonParameters.SshKey)}'") : null;
        if (!ready || keyProblem is not null)
        {
            if (keyProblem is not null)
            {
                context.AddError(keyProblem);
            }

            return;
        }

        try
        {
            await using var session = await shell.ConnectAsync(InstanceSource.Ssh(parameters), NullLogger.Instance, cancellationToken);
            var root = (await session.ReadAsync(
                "if [ \"$(id -u)\" -eq 0 ]; then echo root; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then echo sudo; else echo none; fi",
                "Checking that the provisioning scripts can run as root",
                cancellationToken)).Trim();
            if (root == "none")
            {
                context.AddError($"--ssh-user '{parameters.Get(CommonParameters.SshUser)}' on {session.Host} is not root and cannot run sudo without a password; the provisioning scripts run as root: log in as root or allow the user passwordless sudo.");
            }
        }
        catch (PipelineException exception)
        {
            context.AddError(exception.Message);
        }
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var scripts = parameters.Get(ProvisionParameters.Scripts);
        var files = ProvisionParameters.ParseFiles(parameters.Get(ProvisionParameters.Files));
        var environment = ProvisionParameters.ParseEnvironment(parameters);
        var mask = ProvisionInputs.Masking(parameters);
        var staging = StagingFolderOf(context.RunId);
        var leftByEarlierAttempt = context.State.TryGet(ProvisionState.StagingFolder, out var earlier) && earlier == staging;
        context.State.Set(ProvisionState.SecretNames, ProvisionParameters.SecretNames(parameters));
        context.State.Set(ProvisionState.StagingFolder, staging);
        await context.CheckpointAsync(cancellationToken);

        await using var session = await shell.ConnectAsync(InstanceSource.Ssh(context), context.Logger, cancellationToken);

        // Fresh every attempt: what a killed attempt of this run left there is removed (as root: a script may have
        // written into it), then the folder is made by the login user, 0700, failing rather than reusing one it did
        // not make.
        var folder = RemoteCommands.Quote(staging);
        await session.RunCheckedAsync(
            (leftByEarlierAttempt ? RemoteCommands.AsRoot + $"$run rm -rf -- {folder} && " : string.Empty) + $"mkdir -m 700 -- {folder}",
            "Creating the provisioning folder " + staging,
            cancellationToken);

        if (files.Count > 0)
        {
            var count = await PlaceFilesAsync(session, staging, files, cancellationToken);
            context.Logger.ProvisionFilesCopied(count, session.Host);
        }

        var endpoint = InstanceSource.Ssh(context);
        var instance = InstanceSource.Launched(context.State)?.InstanceId ?? $"{endpoint.Host}:{endpoint.Port}";
        var done = ProvisionProgress.DoneOn(context.State.TryGet(ProvisionState.Progress, out var progress) ? progress : null, instance);
        if (scripts.Length > done)
        {
            var environmentFile = staging + "/environment";
            var wrapper = staging + "/with-environment.sh";
            await UploadTextAsync(session, string.Concat(environment.Select(pair => $"{pair.Name}={RemoteCommands.Quote(pair.Value)}\n")), environmentFile, cancellationToken);
            await UploadTextAsync(session, Wrapper, wrapper, cancellationToken);
            for (var index = 0; index < scripts.Length; index++)
            {
                var name = Path.GetFileName(scripts[index]);
                if (index < done)
                {
                    context.Logger.ProvisionScriptAlreadyRun(name);
                    continue;
                }

                var remote = string.Create(CultureInfo.InvariantCulture, $"{staging}/script-{index + 1:00}-{name}");
                await using (var content = File.OpenRead(scripts[index]))
                {
                    await session.UploadAsync(content, remote, PrivateExecutableMode, cancellationToken);
                }

                // sshd starts each command as the leader of a process group of its own; the command execs into the
                // script, so the group's id (in a file while the script runs) lets a cleanup after Ctrl+C stop the
                // script and whatever it started, rather than leave them running on the instance.
                var status = await session.RunAsync(
                    RemoteCommands.AsRoot
                    + $"cd {folder} && echo $$ > {RemoteCommands.Quote(ProcessGroupFileOf(staging))} && "
                    + $"exec $run sh {RemoteCommands.Quote(wrapper)} {RemoteCommands.Quote(environmentFile)} {RemoteCommands.Quote(remote)}",
                    $"Running {name}",
                    line => context.Logger.ProvisionOutput(LogLevel.Information, name, mask(line)),
                    line => context.Logger.ProvisionOutput(LogLevel.Warning, name, mask(line)),
                    cancellationToken);
                await session.DeleteAsync(ProcessGroupFileOf(staging), cancellationToken);
                if (status != 0)
                {
                    throw new PipelineException($"Provisioning script {name} failed with {(status is { } code ? $"exit status {code}" : "a signal")}; its output is in the log above.");
                }

                context.State.Set(ProvisionState.Progress, new ProvisionProgress(instance, index + 1));
                await context.CheckpointAsync(cancellationToken);
                context.Logger.ProvisionScriptFinished(name, session.Host);
            }
        }

        await RemoveAsync(session, staging, context, cancellationToken);
        context.Note = $"{Count(scripts.Length, "script")}, {Count(files.Count, "file item")} on {session.Host}";
    }

    /// <summary>Removes the staging folder (success removed it already): after a failure or Ctrl+C, with the values file in it.</summary>
    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (!context.State.TryGet(ProvisionState.StagingFolder, out var staging))
        {
            return CleanupOutcome.NothingToUndo;
        }

        // rm -rf as root: only ever the folder this run's id names, whatever the record says.
        if (staging != StagingFolderOf(context.RunId))
        {
            throw new PipelineException($"The run record names '{staging}' as the provisioning folder on the instance, which is not this run's ({StagingFolderOf(context.RunId)}); nothing was removed there.");
        }

        await using var session = await shell.ConnectAsync(InstanceSource.Ssh(context), context.Logger, cancellationToken);

        // A script cut short (Ctrl+C, a lost connection) may still run: its process group is stopped, but only while
        // its leader is still this run's script (the id in the file is not trusted to mean anything else).
        var groupFile = RemoteCommands.Quote(ProcessGroupFileOf(staging));
        await session.RunCheckedAsync(
            RemoteCommands.AsRoot
            + $"if test -s {groupFile}; then id=\"$(cat -- {groupFile})\"; "
            + $"case \"$(tr '\\0' ' ' < /proc/\"$id\"/cmdline 2>/dev/null)\" in *{RemoteCommands.Quote(staging + "/")}*) $run kill -s TERM -- \"-$id\" ;; esac; fi",
            "Stopping a provisioning script that is still running",
            cancellationToken);
        await RemoveAsync(session, staging, context, cancellationToken);
        return CleanupOutcome.Undone;
    }

    /// <summary>The staging folder of a run: named by the run id, so that a cleanup never removes another path.</summary>
    internal static string StagingFolderOf(string runId) => "/tmp/imagepipeline-provision-" + runId;

    /// <summary>Holds the process group id of the script that runs, and only while it runs.</summary>
    private static string ProcessGroupFileOf(string staging) => staging + "/script.pgid";

    private static async Task RemoveAsync(IRemoteSession session, string staging, StepContext context, CancellationToken cancellationToken)
    {
        await session.RunCheckedAsync(RemoteCommands.AsRoot + $"$run rm -rf -- {RemoteCommands.Quote(staging)}", "Removing the provisioning folder", cancellationToken);
        context.State.Remove(ProvisionState.StagingFolder);
        await context.CheckpointAsync(cancellationToken);
        context.Logger.ProvisionFolderRemoved(staging, session.Host);
    }

    /// <summary>
    /// Uploads every file into the staging folder over SFTP, then puts each at its destination as root with one script
    /// (install: parents created, owner root, the local file's mode). Returns how many files were copied.
    /// </summary>
    private static async Task<int> PlaceFilesAsync(IRemoteSession session, string staging, IReadOnlyList<(string Source, string Destination)> items, CancellationToken cancellationToken)
    {
        var placing = new StringBuilder("set -e\n");
        var count = 0;
        async Task CopyAsync(string local, string destination)
        {
            var staged = string.Create(CultureInfo.InvariantCulture, $"{staging}/file-{++count:0000}");
            await using (var content = File.OpenRead(local))
            {
                await session.UploadAsync(content, staged, PrivateFileMode, cancellationToken);
            }

            placing.Append(CultureInfo.InvariantCulture, $"install -D -m {ModeOf(local)} -- {RemoteCommands.Quote(staged)} {RemoteCommands.Quote(destination)}\n");
        }

        foreach (var (source, destination) in items)
        {
            if (!Directory.Exists(source))
            {
                await CopyAsync(source, destination);
                continue;
            }

            var target = destination.TrimEnd('/');
            placing.Append(CultureInfo.InvariantCulture, $"install -d -m {ModeOf(source)} -- {RemoteCommands.Quote(target)}\n");
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
            foreach (var folder in Directory.EnumerateDirectories(source, "*", options).Order(StringComparer.Ordinal))
            {
                placing.Append(CultureInfo.InvariantCulture, $"install -d -m {ModeOf(folder)} -- {RemoteCommands.Quote(target + "/" + Relative(source, folder))}\n");
            }

            foreach (var file in Directory.EnumerateFiles(source, "*", options).Order(StringComparer.Ordinal))
            {
                await CopyAsync(file, target + "/" + Relative(source, file));
            }
        }

        var script = staging + "/place-files.sh";
        await UploadTextAsync(session, placing.ToString(), script, cancellationToken);
        await session.RunCheckedAsync(RemoteCommands.AsRoot + $"$run sh {RemoteCommands.Quote(script)}", "Copying the provisioning files into place", cancellationToken);
        return count;
    }

    /// <summary>
    /// Why a --provision-file source cannot be copied: missing, or not a regular file or folder; in a folder, each entry
    /// that is neither (a device or a pipe would be read forever, a socket not at all).
    /// </summary>
    private static IEnumerable<string> ProvisionFileProblems(string source)
    {
        var kind = FileKinds.Of(source);
        if (kind == FileKind.Missing)
        {
            yield return $"--provision-file source '{source}' does not exist; pass the path of a file or folder.";
            yield break;
        }

        if (kind != FileKind.Directory)
        {
            if (InputFile.Problem(source, $"--provision-file source '{source}'", long.MaxValue) is { } problem)
            {
                yield return problem;
            }

            yield break;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        foreach (var entry in Directory.EnumerateFiles(source, "*", options).Order(StringComparer.Ordinal))
        {
            if (FileKinds.Of(entry) is not (FileKind.RegularFile or FileKind.Unknown))
            {
                yield return $"--provision-file source '{source}' holds '{entry}', which is not a regular file (a device, a named pipe, a socket or a link to nothing); remove it from the folder, or copy the folder's files one by one.";
            }
        }
    }

    private static async Task UploadTextAsync(IRemoteSession session, string text, string remotePath, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(text));
        await session.UploadAsync(content, remotePath, PrivateFileMode, cancellationToken);
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>The permission bits of a local file or folder as install's octal -m (0644 when the file system has none).</summary>
    private static string ModeOf(string path) =>
        OperatingSystem.IsWindows()
            ? Directory.Exists(path) ? "0755" : "0644"
            : "0" + Convert.ToString((int)File.GetUnixFileMode(path) & 0x1FF, 8);

    private static string Count(int count, string noun) => string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? string.Empty : "s")}");
}
