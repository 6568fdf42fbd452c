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
        var path = Path.Combine(Directory, runId);
        System.IO.Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    public async Task SaveAsync(RunRecord record, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        record.UpdatedAt = timeProvider.GetUtcNow();
        var path = PathOf(record.RunId);
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
    }

    public RunRecord? Load(string runId)
    {
        var path = PathOf(runId);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<RunRecord>(File.ReadAllText(path), SerializerOptions);
        }
        catch (JsonException exception)
        {
            throw PipelineException.Input($"The saved run {runId} ({path}) is damaged and cannot be resumed: {exception.Message} Start a new run without --resume.", exception);
        }
    }

    /// <summary>The most recently updated run, or null when there is none.</summary>
    public RunRecord? Latest() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateFiles(Directory, "*.json")
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .Select(path => Load(Path.GetFileNameWithoutExtension(path)))
                .FirstOrDefault(record => record is not null)
            : null;

    private string PathOf(string runId)
    {
        if (runId.Length == 0 || runId.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || runId.Contains("..", StringComparison.Ordinal))
        {
            throw PipelineException.Input($"'{runId}' is not a run id; run ids look like 20261126-213000-a1b2c3 (see .nuke/temp/runs/).");
        }

        return Path.Combine(Directory, runId + ".json");
    }
}
