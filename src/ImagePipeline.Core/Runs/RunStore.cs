using System.Text.Json;
using System.Text.Json.Serialization;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Core.Runs;

/// <summary>
/// Saves runs under <c>.nuke/temp/runs/</c>, atomically (write a temp file, then rename over the old one), so that a
/// crash at any moment leaves either the previous state or the new one, never half a file.
/// </summary>
public sealed class RunStore(string directory, TimeProvider timeProvider)
{
    private readonly SemaphoreSlim _saving = new(1, 1);

    private static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public string Directory { get; } = directory;

    public string NewRunId()
    {
        var now = timeProvider.GetUtcNow();
        return $"{now:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}";
    }

    /// <summary>A folder private to the run (0700), for staged files and bundles.</summary>
    public string WorkDirectoryOf(string runId)
    {
        var path = Path.Combine(Directory, CheckedRunId(runId));
        if (new DirectoryInfo(path).LinkTarget is { } target)
        {
            throw PipelineException.Input($"The work folder of run {runId} ({path}) is a symbolic link to {target}; a run's folder must be its own. Remove the link, or start a new run without --resume.");
        }

        System.IO.Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    /// <summary>The folder a step stages its secrets in (see <see cref="StepContext.SecretsDirectory"/>).</summary>
    public string SecretsDirectoryOf(string runId, string stepId) =>
        Path.Combine(WorkDirectoryOf(runId), SecretsFolder, SecretsFolderName(stepId));

    /// <summary>
    /// Takes the run's lock (<see cref="RunLock"/>), held by the caller for as long as it runs the run; null when
    /// another process holds it, that is, when the run is still running.
    /// </summary>
    public RunLock? TryLock(string runId) => RunLock.TryAcquire(runId, Path.Combine(WorkDirectoryOf(runId), LockFileName));

    /// <summary>
    /// Removes the staged secrets of every run that is not running (its lock is free) and was left without its
    /// cleanups, and marks the steps that staged them for re-running, so a resumed run stages them again.
    /// <paramref name="held"/> is a run the caller already holds (the one it resumes), swept the same way.
    /// </summary>
    /// <returns>The secret folders removed.</returns>
    public async Task<IReadOnlyList<string>> SweepStaleSecretsAsync(RunRecord? held, CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        if (!System.IO.Directory.Exists(Directory))
        {
            return removed;
        }

        foreach (var folder in System.IO.Directory.EnumerateDirectories(Directory))
        {
            var runId = Path.GetFileName(folder);
            var secrets = Path.Combine(folder, SecretsFolder);
            if (!IsRunId(runId) || new DirectoryInfo(folder).LinkTarget is not null || !Path.Exists(secrets))
            {
                continue;
            }

            if (held?.RunId == runId)
            {
                removed.AddRange(await SweepAsync(secrets, held, keepTimestamps: false, cancellationToken));
                continue;
            }

            using var runLock = TryLock(runId);
            if (runLock is null)
            {
                continue;
            }

            RunRecord? record;
            try
            {
                record = Load(runId);
            }
            catch (PipelineException)
            {
                record = null;
            }

            removed.AddRange(await SweepAsync(secrets, record, keepTimestamps: true, cancellationToken));
        }

        return removed;
    }

    public Task SaveAsync(RunRecord record, CancellationToken cancellationToken) => SaveAsync(record, keepTimestamps: false, cancellationToken);

    private async Task<IReadOnlyList<string>> SweepAsync(string secrets, RunRecord? record, bool keepTimestamps, CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        if (new DirectoryInfo(secrets).LinkTarget is not null)
        {
            // Only the link goes: whatever it points at was never this run's.
            File.Delete(secrets);
            removed.Add(secrets);
            return removed;
        }

        foreach (var stepFolder in System.IO.Directory.EnumerateFileSystemEntries(secrets))
        {
            var stepId = record?.Steps.Keys.FirstOrDefault(id => SecretsFolderName(id) == Path.GetFileName(stepFolder));
            if (stepId is not null && record!.Steps[stepId] == StepStatus.Completed)
            {
                record.Steps[stepId] = StepStatus.Undone;
            }

            // Directory.Delete removes links inside without following them.
            if (System.IO.Directory.Exists(stepFolder) && new DirectoryInfo(stepFolder).LinkTarget is null)
            {
                System.IO.Directory.Delete(stepFolder, recursive: true);
            }
            else
            {
                File.Delete(stepFolder);
            }

            removed.Add(stepFolder);
        }

        if (removed.Count > 0 && record is not null)
        {
            await SaveAsync(record, keepTimestamps, cancellationToken);
        }

        return removed;
    }

    /// <param name="keepTimestamps">True when another run's record is changed on its behalf: it must not become the latest run.</param>
    private async Task SaveAsync(RunRecord record, bool keepTimestamps, CancellationToken cancellationToken)
    {
        // One save at a time: a step may checkpoint from several threads (parts uploaded while the bundle is written),
        // and two saves must not share the temporary file.
        await _saving.WaitAsync(cancellationToken);
        try
        {
            await WriteAsync(record, keepTimestamps, cancellationToken);
        }
        finally
        {
            _saving.Release();
        }
    }

    private async Task WriteAsync(RunRecord record, bool keepTimestamps, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathOf(record.RunId);
        var previousWrite = keepTimestamps && File.Exists(path) ? File.GetLastWriteTimeUtc(path) : (DateTime?)null;
        if (!keepTimestamps)
        {
            record.UpdatedAt = timeProvider.GetUtcNow();
        }

        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(temporary, options))
        {
            await JsonSerializer.SerializeAsync(stream, record, SerializerOptions, cancellationToken);
        }

        File.Move(temporary, path, overwrite: true);
        if (previousWrite is { } time)
        {
            File.SetLastWriteTimeUtc(path, time);
        }
    }

    public RunRecord? Load(string runId)
    {
        var path = PathOf(runId);
        if (!File.Exists(path))
        {
            return null;
        }

        RunRecord? record;
        try
        {
            record = JsonSerializer.Deserialize<RunRecord>(File.ReadAllText(path), SerializerOptions);
        }
        catch (JsonException exception)
        {
            throw PipelineException.Input($"The saved run {runId} ({path}) is damaged and cannot be resumed: {exception.Message} Start a new run without --resume.", exception);
        }

        // The id decides which work folder a resumed run deletes in: a record must not speak for another run.
        if (record is not null && record.RunId != runId)
        {
            throw PipelineException.Input($"The saved run {runId} ({path}) names itself '{record.RunId}'; the record was edited, so it is not resumed and nothing is deleted. Start a new run without --resume.");
        }

        return record;
    }

    /// <summary>The most recently updated run, or null when there is none.</summary>
    public RunRecord? Latest() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateFiles(Directory, "*.json")
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .Select(path => Load(Path.GetFileNameWithoutExtension(path)))
                .FirstOrDefault(record => record is not null)
            : null;

    private const string SecretsFolder = "secrets";
    private const string LockFileName = "run.lock";

    private static string SecretsFolderName(string stepId) => stepId.Replace('/', '.');

    private static bool IsRunId(string runId) =>
        runId.Length > 0 && runId.IndexOfAny(Path.GetInvalidFileNameChars()) < 0 && !runId.Contains("..", StringComparison.Ordinal);

    private static string CheckedRunId(string runId) => IsRunId(runId)
        ? runId
        : throw PipelineException.Input($"'{runId}' is not a run id; run ids look like 20261126-213000-a1b2c3 (see .nuke/temp/runs/).");

    private string PathOf(string runId) => Path.Combine(Directory, CheckedRunId(runId) + ".json");
}
