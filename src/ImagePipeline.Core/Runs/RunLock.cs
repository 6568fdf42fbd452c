namespace ImagePipeline.Core.Runs;

/// <summary>
/// The exclusive hold a process has on one run while it runs it: an OS lock on <c>RUN_ID/run.lock</c> (flock on Unix,
/// a sharing lock on Windows, both taken by opening the file with <see cref="FileShare.None"/>). The kernel drops it
/// when the process ends in any way, SIGKILL included, so a lock is never left behind by a dead run.
/// </summary>
public sealed class RunLock : IDisposable
{
    private readonly FileStream _file;

    private RunLock(string runId, FileStream file)
    {
        RunId = runId;
        _file = file;
    }

    public string RunId { get; }

    /// <summary>Takes the lock, or returns null when another process (or another run in this one) holds it.</summary>
    public static RunLock? TryAcquire(string runId, string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            return new RunLock(runId, new FileStream(path, options));
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    public void Dispose() => _file.Dispose();
}
