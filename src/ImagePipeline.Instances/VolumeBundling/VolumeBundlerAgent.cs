using System.Globalization;
using System.Security.Cryptography;
using ImagePipeline.Abstractions;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Instances.VolumeBundling;

/// <summary>
/// The one <see cref="IVolumeBundlerAgent"/>: the binary for the instance's architecture copied over SFTP (0700) into the
/// caller's staging folder, its SHA-256 checked there, started as root and detached (setsid, no terminal, no pipe to
/// this connection) with its pid, report, errors and exit status in files there, followed with <c>tail -f --pid</c>.
/// </summary>
public sealed class VolumeBundlerAgent : IVolumeBundlerAgent
{
    private const int ExecutableFileMode = 0b_111_000_000;

    /// <summary>How long a stopped program gets to remove what it made before the caller goes on without it.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(2);

    public async Task<IReadOnlyList<string>> ProblemsAsync(IRemoteSession session, CancellationToken cancellationToken)
    {
        var answer = await session.ReadAsync(
            "uname -m; if [ \"$(id -u)\" -eq 0 ]; then echo root; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then echo sudo; else echo none; fi",
            "Checking the instance",
            cancellationToken);
        var lines = answer.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length < 2)
        {
            return [$"{session.Host} did not answer uname -m and id -u; check that the SSH user has a POSIX shell there."];
        }

        var problems = new List<string>();
        if (VolumeBundlerBinaries.RuntimeFor(lines[0]) is null)
        {
            problems.Add(VolumeBundlerBinaries.Unsupported(session.Host, lines[0]));
        }

        if (lines[1] == "none")
        {
            problems.Add($"The SSH user on {session.Host} is not root and cannot run sudo without a password; the volume bundler runs as root (to mount the image and keep owners): log in as root or allow the user passwordless sudo.");
        }

        return problems;
    }

    public async Task<VolumeBundlerExit> RunAsync(
        IRemoteSession session, string stagingDirectory, IReadOnlyList<string> arguments, Action<string> reportLine, ILogger logger, CancellationToken cancellationToken)
    {
        var files = new VolumeBundlerFiles(stagingDirectory);
        var machine = await session.ReadAsync("uname -m", "Reading the instance's architecture", cancellationToken);
        var runtime = VolumeBundlerBinaries.RuntimeFor(machine) ?? throw PipelineException.Input(VolumeBundlerBinaries.Unsupported(session.Host, machine));
        var local = VolumeBundlerBinaries.PathFor(runtime);
        string expected;
        await using (var input = File.OpenRead(local))
        {
            expected = Convert.ToHexStringLower(await SHA256.HashDataAsync(input, cancellationToken));
        }

        try
        {
            await using (var input = File.OpenRead(local))
            {
                await session.UploadAsync(input, files.ProgramPath, ExecutableFileMode, cancellationToken);
            }

            var actual = (await session.ReadAsync($"sha256sum -- {RemoteCommands.Quote(files.ProgramPath)}", "Checking the volume bundler's SHA-256", cancellationToken)).Split(' ')[0];
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                throw new PipelineException($"The volume bundler copied to {session.Host} has SHA-256 {actual}, not {expected}; it was changed on the way or on the instance, so it was not run.");
            }

            logger.VolumeBundlerCopied(runtime, session.Host, files.ProgramPath, new FileInfo(local).Length, expected);
            try
            {
                // Started detached, its report in a file: a host that is killed leaves it running to the end, and a
                // resumed run picks up what it finished. The host follows the report until the program exits.
                await session.RunCheckedAsync(Launch(files, arguments), "Starting the volume bundler", cancellationToken);
                await session.RunAsync(Follow(files), "Following the volume bundler", reportLine, line => logger.VolumeBundlerOutput(session.Host, line), cancellationToken);
                return await ExitAsync(session, files, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                await StopAsync(session, stagingDirectory, logger, CancellationToken.None);
                throw;
            }
        }
        finally
        {
            await session.RunCheckedAsync(
                RemoteCommands.AsRoot + "$run rm -f -- " + string.Join(' ', files.All.Select(RemoteCommands.Quote)),
                "Removing the volume bundler",
                CancellationToken.None);
            logger.VolumeBundlerRemoved(session.Host);
        }
    }

    public async Task StopAsync(IRemoteSession session, string stagingDirectory, ILogger logger, CancellationToken cancellationToken)
    {
        var files = new VolumeBundlerFiles(stagingDirectory);
        var pidFile = RemoteCommands.Quote(files.ProcessIdPath);
        var program = RemoteCommands.Quote(files.ProgramPath);
        var seconds = (int)StopTimeout.TotalSeconds;

        // Only the process that runs our program from the staging folder: a pid file can outlive its process, and the pid be reused.
        // A program started a moment ago may not have written its pid yet.
        var stopped = await session.ReadAsync(
            RemoteCommands.AsRoot
            + $"i=0; while [ $i -lt 25 ] && $run test -e {program} && ! $run test -s {pidFile}; do sleep 0.2; i=$((i+1)); done; "
            + $"pid=$($run cat -- {pidFile} 2>/dev/null) || {{ echo none; exit 0; }}; "
            + $"if [ -n \"$pid\" ] && [ \"$($run readlink /proc/$pid/exe 2>/dev/null)\" = {program} ]; then $run kill -TERM \"$pid\"; "
            + $"i=0; while [ $i -lt {seconds * 5} ] && $run kill -0 \"$pid\" 2>/dev/null; do sleep 0.2; i=$((i+1)); done; echo stopped; else echo none; fi",
            "Stopping the volume bundler if it still runs",
            cancellationToken);
        if (stopped.Trim() == "stopped")
        {
            logger.VolumeBundlerStopped(session.Host);
        }
    }

    public Task WaitForEarlierAsync(IRemoteSession session, string stagingDirectory, CancellationToken cancellationToken)
    {
        var files = new VolumeBundlerFiles(stagingDirectory);
        var pidFile = RemoteCommands.Quote(files.ProcessIdPath);
        var program = RemoteCommands.Quote(files.ProgramPath);
        return session.RunCheckedAsync(
            RemoteCommands.AsRoot
            + $"pid=$($run cat -- {pidFile} 2>/dev/null) || exit 0; "
            + $"while [ -n \"$pid\" ] && [ \"$($run readlink /proc/$pid/exe 2>/dev/null)\" = {program} ]; do sleep 1; done",
            "Waiting for the volume bundler an earlier attempt started",
            cancellationToken);
    }

    /// <summary>
    /// Starts the program as root, detached (setsid, no terminal, no pipe to this connection): it writes its pid, then
    /// runs with its report and errors in files; its exit status is written when it ends.
    /// </summary>
    private static string Launch(VolumeBundlerFiles files, IReadOnlyList<string> arguments)
    {
        // $1 pid file, $2 report, $3 errors, $4 exit status, then the program and its arguments.
        const string Script = "pid=$1 report=$2 errors=$3 status=$4; shift 4; "
            + "( sh -c 'echo $$ > \"$0\"; exec \"$@\"' \"$pid\" \"$@\" > \"$report\" 2> \"$errors\" < /dev/null; echo $? > \"$status\" ) > /dev/null 2>&1 < /dev/null &";
        var paths = new[] { files.ProcessIdPath, files.ReportPath, files.ErrorPath, files.ExitStatusPath }.Select(RemoteCommands.Quote);
        return RemoteCommands.AsRoot
            + $"$run rm -f -- {string.Join(' ', paths)} && $run setsid sh -c {RemoteCommands.Quote(Script)} launch {string.Join(' ', paths)} {RemoteCommands.Quote(files.ProgramPath)} "
            + string.Join(' ', arguments.Select(RemoteCommands.Quote));
    }

    /// <summary>Prints the report from its first line as it grows, and ends when the program has ended.</summary>
    private static string Follow(VolumeBundlerFiles files)
    {
        var pidFile = RemoteCommands.Quote(files.ProcessIdPath);
        return RemoteCommands.AsRoot
            + $"i=0; while [ $i -lt 100 ] && ! $run test -s {pidFile}; do sleep 0.1; i=$((i+1)); done; "
            + $"exec $run tail -n +1 -f --pid=\"$($run cat -- {pidFile})\" -- {RemoteCommands.Quote(files.ReportPath)}";
    }

    /// <summary>The program's exit status (null when a signal ended it) and its standard error.</summary>
    private static async Task<VolumeBundlerExit> ExitAsync(IRemoteSession session, VolumeBundlerFiles files, CancellationToken cancellationToken)
    {
        var status = RemoteCommands.Quote(files.ExitStatusPath);
        var answer = await session.ReadAsync(
            RemoteCommands.AsRoot + $"i=0; while [ $i -lt 100 ] && ! $run test -s {status}; do sleep 0.1; i=$((i+1)); done; $run cat -- {status} 2>/dev/null || echo signal",
            "Reading how the volume bundler ended",
            cancellationToken);
        var errors = await session.ReadFileAsRootAsync(files.ErrorPath, cancellationToken);
        var lines = System.Text.Encoding.UTF8.GetString(errors).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return new VolumeBundlerExit(
            int.TryParse(answer.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code < 128 ? code : null,
            lines);
    }
}
