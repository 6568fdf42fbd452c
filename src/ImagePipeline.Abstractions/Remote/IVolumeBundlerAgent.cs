using Microsoft.Extensions.Logging;

namespace ImagePipeline.Abstractions;

/// <summary>
/// The volume bundler (<c>imagepipeline-volume-bundler</c>, docs/VOLUME-BUNDLER.md) run on a live Linux instance: the
/// host ships it for each instance architecture and registers the one implementation, so that every plugin stages it,
/// checks it, runs it as root, follows it and stops it alike. The caller owns the staging folder (0700, the SSH user's,
/// left out of the image) and the program's arguments.
/// </summary>
public interface IVolumeBundlerAgent
{
    /// <summary>
    /// Read-only: why the program cannot run there (an architecture it is not shipped for; a login that is neither root
    /// nor allowed passwordless sudo), one sentence each naming the fix; empty when it can.
    /// </summary>
    Task<IReadOnlyList<string>> ProblemsAsync(IRemoteSession session, CancellationToken cancellationToken);

    /// <summary>
    /// Copies the program for the instance's <c>uname -m</c> into <paramref name="stagingDirectory"/>, checks its SHA-256
    /// there, starts it as root, detached (a host that is killed leaves it running to the end), and hands each line of
    /// its report to <paramref name="reportLine"/> until it ends. Cancellation stops it (SIGTERM: it removes what it
    /// made). The program and its files are removed from the folder whatever happens.
    /// </summary>
    Task<VolumeBundlerExit> RunAsync(IRemoteSession session, string stagingDirectory, IReadOnlyList<string> arguments, Action<string> reportLine, ILogger logger, CancellationToken cancellationToken);

    /// <summary>Stops the program this staging folder started if it still runs (logging that it does), and waits for it to end.</summary>
    Task StopAsync(IRemoteSession session, string stagingDirectory, ILogger logger, CancellationToken cancellationToken);

    /// <summary>Waits while a program an earlier attempt of the run started from this staging folder still runs.</summary>
    Task WaitForEarlierAsync(IRemoteSession session, string stagingDirectory, CancellationToken cancellationToken);
}
