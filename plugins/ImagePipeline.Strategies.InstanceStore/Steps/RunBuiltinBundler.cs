using ImagePipeline.Strategies.InstanceStore.Buckets;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using ImagePipeline.Strategies.InstanceStore.Certificates;
using ImagePipeline.Strategies.InstanceStore.Bundles;
using System.Globalization;
using System.Security.Cryptography;
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
public sealed class RunBuiltinBundler(ICloudClients clients, IManifestSealer sealer, IRemoteShell shell, TimeProvider timeProvider) : IPipelineStep
{
    private const string RemoteFolderDescription = "bundle folder on the instance";

    /// <summary>How long a stopped bundler gets to remove what it made before the cleanup goes on without it.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(2);

    public async ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        if (context.ResumedState?.TryGet(InstanceStoreState.BundleDirectory, out var recorded) == true
            && RecordedPaths.ProblemWithRemote(recorded, Destination(parameters), RemoteFolderDescription) is { } problem)
        {
            context.AddError(problem);
        }

        if (InstanceSource.WillLaunch(parameters) || !parameters.IsSet(InstanceStoreParameters.SshKey) || !File.Exists(parameters.Get(InstanceStoreParameters.SshKey)))
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
            var answer = await connection.ReadAsync(
                "uname -m; if [ \"$(id -u)\" -eq 0 ]; then echo root; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then echo sudo; else echo none; fi; "
                + "if command -v curl >/dev/null; then echo curl; else echo no-curl; fi",
                "Checking the instance",
                cancellationToken);
            var lines = answer.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (lines.Length < 2)
            {
                context.AddError($"{connection.Host} did not answer uname -m and id -u; check that --ssh-user '{parameters.Get(InstanceStoreParameters.SshUser)}' has a POSIX shell there.");
                return;
            }

            if (VolumeBundlerBinaries.RuntimeFor(lines[0]) is null)
            {
                context.AddError(VolumeBundlerBinaries.Unsupported(connection.Host, lines[0]));
            }

            if (lines.Length > 2 && lines[2] == "no-curl" && parameters.Get(InstanceStoreParameters.UploadFrom) == BundleUploadSource.Instance && context.WillRun(PipelineTarget.UploadBundle))
            {
                context.AddError($"curl is not installed on {connection.Host}, and the instance uploads its parts with it (presigned PUTs): install curl there, or pass --upload-from host.");
            }

            if (lines[1] == "none")
            {
                context.AddError($"--ssh-user '{parameters.Get(InstanceStoreParameters.SshUser)}' on {connection.Host} is not root and cannot run sudo without a password; the builtin bundler runs as root (to mount the image and keep owners): log in as root or allow the user passwordless sudo.");
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
            await WaitForEarlierProgramAsync(connection, staging, cancellationToken);
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
            bundle = await RunProgramAsync(context, connection, staging, destination, name, uploads, cancellationToken);
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
                await StopProgramAsync(connection, new VolumeBundlerStaging(staging), context, cancellationToken);
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
        var machine = await connection.ReadAsync("uname -m", "Reading the instance's architecture", cancellationToken);
        var runtime = VolumeBundlerBinaries.RuntimeFor(machine) ?? throw PipelineException.Input(VolumeBundlerBinaries.Unsupported(connection.Host, machine));
        var local = VolumeBundlerBinaries.PathFor(runtime);
        string expected;
        await using (var input = File.OpenRead(local))
        {
            expected = Convert.ToHexStringLower(await SHA256.HashDataAsync(input, cancellationToken));
        }

        try
        {
            await RemoteStagingFolder.CopyAsync(connection, local, staging.ProgramPath, RemoteStagingFolder.ExecutableFileMode, cancellationToken);
            var actual = (await connection.ReadAsync($"sha256sum -- {RemoteCommands.Quote(staging.ProgramPath)}", "Checking the volume bundler's SHA-256", cancellationToken)).Split(' ')[0];
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                throw new PipelineException($"The volume bundler copied to {connection.Host} has SHA-256 {actual}, not {expected}; it was changed on the way or on the instance, so it was not run.");
            }

            context.Logger.VolumeBundlerCopied(runtime, connection.Host, staging.ProgramPath, new FileInfo(local).Length, expected);
            var run = new VolumeBundlerFollower(context, connection.Host, destination, name, uploads);
            int? status;
            try
            {
                // Started detached, its report in a file: a host that is killed leaves it running to the end, and a
                // resumed run picks up the finished bundle. The host follows the report until the program exits.
                await connection.RunCheckedAsync(Launch(context.Parameters, staging, destination, name), "Starting the volume bundler", cancellationToken);
                await connection.RunAsync(Follow(staging), "Bundling the live volume", run.OnOutput, line => context.Logger.VolumeBundlerOutput(connection.Host, line), cancellationToken);
                status = await ExitStatusAsync(connection, staging, run, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                await StopProgramAsync(connection, staging, context, CancellationToken.None);
                throw;
            }
            finally
            {
                run.Dispose();
            }

            return run.Outcome(status);
        }
        finally
        {
            await connection.RunCheckedAsync(
                RemoteCommands.AsRoot + "$run rm -f -- " + string.Join(' ', staging.ProgramFiles.Select(RemoteCommands.Quote)),
                "Removing the volume bundler",
                CancellationToken.None);
            context.Logger.RemovedFromInstance("the volume bundler", connection.Host);
        }
    }

    /// <summary>
    /// Starts the program as root, detached (setsid, no terminal, no pipe to this connection): it writes its pid, then
    /// runs with its report and errors in files; its exit status is written when it ends.
    /// </summary>
    private static string Launch(IParameterValues parameters, VolumeBundlerStaging staging, string destination, string name)
    {
        var arguments = new List<string>
        {
            "--cert", staging.CertificatePath,
            "--ec2cert", staging.Ec2CertificatePath,
            "--volume", parameters.Get(InstanceStoreParameters.Volume),
            "--destination", destination,
            "--prefix", name,
            "--arch", KebabCase.From(parameters.Get(InstanceStoreParameters.Architecture)),
            "--exclude", staging.Directory,
            "--block-device-mapping", string.Join(',', ManifestBlockDevices.From(parameters).Select(pair => $"{pair.Key}={pair.Value}")),
        };
        if (parameters.IsSet(InstanceStoreParameters.VolumeSize))
        {
            arguments.AddRange(["--size", parameters.Get(InstanceStoreParameters.VolumeSize).ToString(CultureInfo.InvariantCulture)]);
        }

        arguments.AddRange(parameters.Get(InstanceStoreParameters.VolumeExclude).SelectMany(path => new[] { "--exclude", path }));
        arguments.AddRange(parameters.Get(InstanceStoreParameters.VolumeInclude).SelectMany(path => new[] { "--include", path }));

        // $1 pid file, $2 report, $3 errors, $4 exit status, then the program and its arguments.
        const string Script = "pid=$1 report=$2 errors=$3 status=$4; shift 4; "
            + "( sh -c 'echo $$ > \"$0\"; exec \"$@\"' \"$pid\" \"$@\" > \"$report\" 2> \"$errors\" < /dev/null; echo $? > \"$status\" ) > /dev/null 2>&1 < /dev/null &";
        var files = new[] { staging.ProcessIdPath, staging.ReportPath, staging.ErrorPath, staging.ExitStatusPath }.Select(RemoteCommands.Quote);
        return RemoteCommands.AsRoot
            + $"$run rm -f -- {string.Join(' ', files)} && $run setsid sh -c {RemoteCommands.Quote(Script)} launch {string.Join(' ', files)} {RemoteCommands.Quote(staging.ProgramPath)} "
            + string.Join(' ', arguments.Select(RemoteCommands.Quote));
    }

    /// <summary>Prints the report from its first line as it grows, and ends when the program has ended.</summary>
    private static string Follow(VolumeBundlerStaging staging)
    {
        var pidFile = RemoteCommands.Quote(staging.ProcessIdPath);
        return RemoteCommands.AsRoot
            + $"i=0; while [ $i -lt 100 ] && ! $run test -s {pidFile}; do sleep 0.1; i=$((i+1)); done; "
            + $"exec $run tail -n +1 -f --pid=\"$($run cat -- {pidFile})\" -- {RemoteCommands.Quote(staging.ReportPath)}";
    }

    /// <summary>The program's exit status (null when a signal ended it), and its standard error for the follower.</summary>
    private static async Task<int?> ExitStatusAsync(IRemoteSession connection, VolumeBundlerStaging staging, VolumeBundlerFollower run, CancellationToken cancellationToken)
    {
        var status = RemoteCommands.Quote(staging.ExitStatusPath);
        var answer = await connection.ReadAsync(
            RemoteCommands.AsRoot + $"i=0; while [ $i -lt 100 ] && ! $run test -s {status}; do sleep 0.1; i=$((i+1)); done; $run cat -- {status} 2>/dev/null || echo signal",
            "Reading how the volume bundler ended",
            cancellationToken);
        var errors = await connection.ReadFileAsRootAsync(staging.ErrorPath, cancellationToken);
        foreach (var line in System.Text.Encoding.UTF8.GetString(errors).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            run.OnError(line);
        }

        return int.TryParse(answer.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code < 128 ? code : null;
    }

    /// <summary>Stops a bundler still running from this run (SIGTERM: it removes what it made) and waits for it to end.</summary>
    private static async Task StopProgramAsync(IRemoteSession connection, VolumeBundlerStaging staging, StepContext context, CancellationToken cancellationToken)
    {
        var pidFile = RemoteCommands.Quote(staging.ProcessIdPath);
        var program = RemoteCommands.Quote(staging.ProgramPath);
        var seconds = (int)StopTimeout.TotalSeconds;

        // Only the process that runs our program from the staging folder: a pid file can outlive its process, and the pid be reused.
        // A program started a moment ago may not have written its pid yet.
        var stopped = await connection.ReadAsync(
            RemoteCommands.AsRoot
            + $"i=0; while [ $i -lt 25 ] && $run test -e {program} && ! $run test -s {pidFile}; do sleep 0.2; i=$((i+1)); done; "
            + $"pid=$($run cat -- {pidFile} 2>/dev/null) || {{ echo none; exit 0; }}; "
            + $"if [ -n \"$pid\" ] && [ \"$($run readlink /proc/$pid/exe 2>/dev/null)\" = {program} ]; then $run kill -TERM \"$pid\"; "
            + $"i=0; while [ $i -lt {seconds * 5} ] && $run kill -0 \"$pid\" 2>/dev/null; do sleep 0.2; i=$((i+1)); done; echo stopped; else echo none; fi",
            "Stopping the volume bundler if it still runs",
            cancellationToken);
        if (stopped.Trim() == "stopped")
        {
            context.Logger.StoppingVolumeBundler(connection.Host);
        }
    }

    /// <summary>Waits while a bundler an earlier attempt of this run started is still running (it may finish the bundle).</summary>
    private static async Task WaitForEarlierProgramAsync(IRemoteSession connection, VolumeBundlerStaging staging, CancellationToken cancellationToken)
    {
        var pidFile = RemoteCommands.Quote(staging.ProcessIdPath);
        var program = RemoteCommands.Quote(staging.ProgramPath);
        await connection.RunCheckedAsync(
            RemoteCommands.AsRoot
            + $"pid=$($run cat -- {pidFile} 2>/dev/null) || exit 0; "
            + $"while [ -n \"$pid\" ] && [ \"$($run readlink /proc/$pid/exe 2>/dev/null)\" = {program} ]; do sleep 1; done",
            "Waiting for the volume bundler an earlier attempt started",
            cancellationToken);
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
