using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.LocalCloud.Storage;

/// <summary>
/// Owns the state and its persistence. Every read and write of <see cref="State"/> happens under <see cref="Gate"/>;
/// <see cref="Save"/> writes state.json through a temp file and a rename so a crash never leaves half a file.
/// Object bytes live as files in blobs/, also written through temp files.
/// </summary>
internal sealed class StateStore
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
    private readonly string _statePath;
    private readonly string _blobDirectory;
    private readonly string _tempDirectory;
    private readonly ILogger _logger;

    public StateStore(string dataDirectory, bool reset, ILogger logger)
    {
        _logger = logger;
        Directory.CreateDirectory(dataDirectory);
        _statePath = Path.Combine(dataDirectory, "state.json");
        _blobDirectory = Path.Combine(dataDirectory, "blobs");
        _tempDirectory = Path.Combine(dataDirectory, "tmp");
        if (reset)
        {
            File.Delete(_statePath);
            if (Directory.Exists(_blobDirectory))
            {
                Directory.Delete(_blobDirectory, recursive: true);
            }
        }

        // Leftover temp files are uploads a previous run never finished.
        if (Directory.Exists(_tempDirectory))
        {
            Directory.Delete(_tempDirectory, recursive: true);
        }

        Directory.CreateDirectory(_blobDirectory);
        Directory.CreateDirectory(_tempDirectory);
        State = File.Exists(_statePath)
            ? RestoreComparers(JsonSerializer.Deserialize<CloudState>(File.ReadAllText(_statePath), JsonOptions) ?? new CloudState())
            : new CloudState();
        _logger.LogInformation("Local cloud state at {Path}: {Buckets} buckets, {Regions} regions", dataDirectory, State.Buckets.Count, State.Regions.Count);
    }

    public Lock Gate { get; } = new();

    /// <summary>
    /// JSON gives dictionaries back with default comparers; S3 lists keys in byte (ordinal) order and header names
    /// are case-insensitive, so the comparers are put back after loading.
    /// </summary>
    public static CloudState RestoreComparers(CloudState state)
    {
        state.Buckets = new SortedDictionary<string, BucketRecord>(state.Buckets, StringComparer.Ordinal);
        state.Regions = new SortedDictionary<string, RegionState>(state.Regions, StringComparer.Ordinal);
        foreach (var bucket in state.Buckets.Values)
        {
            bucket.Objects = new SortedDictionary<string, ObjectRecord>(bucket.Objects, StringComparer.Ordinal);
            bucket.Uploads = new Dictionary<string, MultipartUploadRecord>(bucket.Uploads, StringComparer.Ordinal);
            foreach (var record in bucket.Objects.Values)
            {
                record.Metadata = new Dictionary<string, string>(record.Metadata, StringComparer.OrdinalIgnoreCase);
                record.Checksums = new Dictionary<string, string>(record.Checksums, StringComparer.OrdinalIgnoreCase);
            }

            foreach (var upload in bucket.Uploads.Values)
            {
                upload.Metadata = new Dictionary<string, string>(upload.Metadata, StringComparer.OrdinalIgnoreCase);
            }
        }

        return state;
    }

    public CloudState State { get; }

    /// <summary>Called under the gate after a change.</summary>
    public void Save()
    {
        var temp = Path.Combine(_tempDirectory, $"state-{Guid.NewGuid():N}.json");
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(State, JsonOptions));
        File.Move(temp, _statePath, overwrite: true);
    }

    /// <summary>The state as indented JSON (for the control API), taken under the gate.</summary>
    public byte[] SnapshotJson()
    {
        lock (Gate)
        {
            return JsonSerializer.SerializeToUtf8Bytes(State, JsonOptions);
        }
    }

    /// <summary>A fresh temp file path; commit it with <see cref="CommitBlob"/>.</summary>
    public string NewTempPath() => Path.Combine(_tempDirectory, Guid.NewGuid().ToString("N"));

    /// <summary>Moves a finished temp file into the blob store and returns its blob name.</summary>
    public string CommitBlob(string tempPath)
    {
        var name = Guid.NewGuid().ToString("N");
        File.Move(tempPath, BlobPath(name));
        return name;
    }

    public string BlobPath(string blobName) => Path.Combine(_blobDirectory, blobName);

    public void DeleteBlob(string blobName)
    {
        try
        {
            File.Delete(BlobPath(blobName));
        }
        catch (IOException ex)
        {
            // A reader may still hold it open; the orphan is harmless.
            _logger.LogDebug(ex, "Could not delete blob {Blob}", blobName);
        }
    }

    /// <summary>Writes bytes as a new blob (used for objects the cloud itself creates, like bundle parts).</summary>
    public string WriteBlob(ReadOnlySpan<byte> bytes)
    {
        var temp = NewTempPath();
        File.WriteAllBytes(temp, bytes.ToArray());
        return CommitBlob(temp);
    }
}
