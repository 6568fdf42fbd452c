using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.LocalCloud.Storage;

/// <summary>
/// Owns the state and its persistence, shared safely by every server process started on the same data directory
/// (two hosts each running the local cloud in-process, or a standalone server and a host). Every read and write of
/// <see cref="State"/> happens inside a <see cref="Transaction"/>: a thread lock in this process and an OS file lock
/// (<c>state.lock</c>, flock on Unix) across processes; a transaction re-reads state.json when another process changed
/// it since, so no change is made to a stale copy and none is lost. <see cref="Save"/> writes state.json through a temp
/// file and a rename so a crash never leaves half a file. Object bytes live as files in blobs/, also written through
/// temp files, each process in its own temp folder.
/// </summary>
internal sealed class StateStore : IDisposable
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
    private static readonly TimeSpan LockPatience = TimeSpan.FromMinutes(2);
    private readonly Lock _gate = new();
    private readonly string _statePath;
    private readonly string _lockPath;
    private readonly string _blobDirectory;
    private readonly string _tempDirectory;
    private readonly FileStream _tempOwnership;
    private readonly ILogger _logger;
    private FileStream? _heldLock;
    private int _depth;

    /// <summary>The generation of state.json this process last read or wrote; a new one is written to the lock file on every save.</summary>
    private Guid _generation;

    public StateStore(string dataDirectory, bool reset, ILogger logger)
    {
        _logger = logger;
        Directory.CreateDirectory(dataDirectory);
        _statePath = Path.Combine(dataDirectory, "state.json");
        _lockPath = Path.Combine(dataDirectory, "state.lock");
        _blobDirectory = Path.Combine(dataDirectory, "blobs");
        var temp = Path.Combine(dataDirectory, "tmp");
        Directory.CreateDirectory(temp);
        RemoveTempFoldersOfStoppedServers(temp);
        _tempDirectory = Path.Combine(temp, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_tempDirectory);
        _tempOwnership = new FileStream(Path.Combine(_tempDirectory, OwnerFileName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);

        using (Transaction())
        {
            if (reset)
            {
                File.Delete(_statePath);
                if (Directory.Exists(_blobDirectory))
                {
                    Directory.Delete(_blobDirectory, recursive: true);
                }

                State = new CloudState();
                Save();
            }

            Directory.CreateDirectory(_blobDirectory);
        }

        _logger.LogInformation("Local cloud state at {Path}: {Buckets} buckets, {Regions} regions", dataDirectory, State.Buckets.Count, State.Regions.Count);
    }

    private const string OwnerFileName = ".owner";

    /// <summary>
    /// Enters the state: the thread lock, then the cross-process file lock, then a re-read if another process saved
    /// since. Dispose the result to leave. Never hold it across an await.
    /// </summary>
    public StateTransaction Transaction()
    {
        _gate.Enter();
        if (_depth++ > 0)
        {
            // Re-entered on the same thread: the file lock is already held and the state is current.
            return new StateTransaction(this);
        }

        try
        {
            _heldLock = AcquireFileLock();
            RefreshIfChanged();
            return new StateTransaction(this);
        }
        catch
        {
            Leave();
            throw;
        }
    }

    /// <summary>Leaves the state entered with <see cref="Transaction"/>.</summary>
    internal void Leave()
    {
        if (--_depth == 0)
        {
            _heldLock?.Dispose();
            _heldLock = null;
        }

        _gate.Exit();
    }

    public void Dispose()
    {
        _tempOwnership.Dispose();
        try
        {
            Directory.Delete(_tempDirectory, recursive: true);
        }
        catch (IOException exception)
        {
            _logger.LogDebug(exception, "Could not remove the temp folder {Folder}", _tempDirectory);
        }
    }

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
            foreach (var record in bucket.Objects.Values)
            {
                record.Metadata = new Dictionary<string, string>(record.Metadata, StringComparer.OrdinalIgnoreCase);
                record.Checksums = new Dictionary<string, string>(record.Checksums, StringComparer.OrdinalIgnoreCase);
            }
        }

        return state;
    }

    public CloudState State { get; private set; } = new();

    /// <summary>Called inside a <see cref="Transaction"/> after a change.</summary>
    public void Save()
    {
        var held = _heldLock ?? throw new InvalidOperationException("The state is saved only inside a transaction.");
        var temp = Path.Combine(_tempDirectory, $"state-{Guid.NewGuid():N}.json");
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(State, JsonOptions));

        // The new generation goes first: a crash between the two makes others re-read an unchanged file, never miss a change.
        _generation = Guid.NewGuid();
        held.Position = 0;
        held.Write(_generation.ToByteArray());
        held.Flush();
        File.Move(temp, _statePath, overwrite: true);
    }

    /// <summary>The state as indented JSON (for the control API), taken inside a transaction.</summary>
    public byte[] SnapshotJson()
    {
        using (Transaction())
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

    private FileStream AcquireFileLock()
    {
        var started = Environment.TickCount64;
        var delay = 1;
        while (true)
        {
            try
            {
                return new FileStream(_lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (Environment.TickCount64 - started < LockPatience.TotalMilliseconds)
            {
                // Another server process is inside a transaction; they are short (no I/O on object bodies happens inside).
                Thread.Sleep(delay);
                delay = Math.Min(delay * 2, 20);
            }
        }
    }

    private void RefreshIfChanged()
    {
        var generation = new byte[16];
        _heldLock!.Position = 0;
        var read = _heldLock.ReadAtLeast(generation, generation.Length, throwOnEndOfStream: false);
        var current = read == generation.Length ? new Guid(generation) : Guid.Empty;
        if (current == _generation && (current != Guid.Empty || State.Buckets.Count + State.Regions.Count > 0))
        {
            return;
        }

        State = File.Exists(_statePath)
            ? RestoreComparers(JsonSerializer.Deserialize<CloudState>(File.ReadAllText(_statePath), JsonOptions) ?? new CloudState())
            : new CloudState();
        _generation = current;
    }

    /// <summary>Temp folders whose owner file is no longer locked belong to servers that stopped: their leftovers are uploads never finished.</summary>
    private void RemoveTempFoldersOfStoppedServers(string temp)
    {
        foreach (var file in Directory.EnumerateFiles(temp))
        {
            // Left by versions that shared one temp folder.
            File.Delete(file);
        }

        foreach (var folder in Directory.EnumerateDirectories(temp))
        {
            try
            {
                using (new FileStream(Path.Combine(folder, OwnerFileName), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                }
            }
            catch (FileNotFoundException)
            {
            }
            catch (IOException)
            {
                continue;
            }

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException exception)
            {
                _logger.LogDebug(exception, "Could not remove the temp folder {Folder}", folder);
            }
        }
    }
}
