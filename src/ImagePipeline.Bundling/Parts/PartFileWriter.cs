using System.Globalization;
using System.Security.Cryptography;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Bundling.Parts;

/// <summary>
/// A write-only stream that cuts what it is given into 10 MiB part files, hashing each part as it goes (SHA-1 for the
/// manifest, MD5 for S3). Parts are written under temporary names and renamed when the part count (and so the index
/// padding) is known; or, when the padding is fixed up front (upload while bundling), each part is flushed to disk,
/// renamed and announced as soon as it is complete.
/// </summary>
internal sealed class PartFileWriter : Stream
{
    private readonly string _directory;
    private readonly string _name;
    private readonly int _partSize;
    private readonly int? _fixedDigits;
    private readonly Action<StreamedBundlePart>? _partFinished;
    private readonly List<(string Path, long Size, string Sha1Hex, string Md5Base64)> _finished = [];
    private readonly List<string> _renamed = [];
    private readonly List<StreamedBundlePart> _streamed = [];
    private FileStream? _current;
    private string? _currentPath;
    private IncrementalHash? _currentHash;
    private IncrementalHash? _currentMd5;
    private long _currentSize;

    public PartFileWriter(string directory, string name, int partSize = BundleLayout.PartSize)
    {
        _directory = directory;
        _name = name;
        _partSize = partSize;
    }

    /// <summary>Names parts with <paramref name="digits"/>-digit indexes and calls <paramref name="partFinished"/> once each part is on disk.</summary>
    public PartFileWriter(string directory, string name, int digits, Action<StreamedBundlePart> partFinished, int partSize = BundleLayout.PartSize)
        : this(directory, name, partSize)
    {
        _fixedDigits = digits;
        _partFinished = partFinished;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>The parts announced so far, when parts are announced as they are finished.</summary>
    /// <summary>The parts on disk under their final names: as they are announced, or all of them after <see cref="Finish"/>.</summary>
    public IReadOnlyList<StreamedBundlePart> StreamedParts => _streamed;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            if (_current is null)
            {
                OpenNextPart();
            }

            var take = (int)Math.Min(_partSize - _currentSize, buffer.Length);
            var slice = buffer[..take];
            _current!.Write(slice);
            _currentHash!.AppendData(slice);
            _currentMd5?.AppendData(slice);
            _currentSize += take;
            buffer = buffer[take..];
            if (_currentSize == _partSize)
            {
                ClosePart();
            }
        }
    }

    // Writes are synchronous: file writes are synchronous underneath on Linux, and the async form would cost a
    // thread-pool hop per write, which on a busy machine means waiting to be scheduled again.
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Closes the last part and gives every part its final name.</summary>
    public IReadOnlyList<BundlePart> Finish()
    {
        if (_current is not null)
        {
            ClosePart();
        }

        var parts = new List<BundlePart>(_finished.Count);
        for (var index = 0; index < _finished.Count; index++)
        {
            var (tempPath, size, sha1Hex, md5Base64) = _finished[index];
            if (_fixedDigits is not null)
            {
                // Already renamed and announced when it was closed.
                _renamed.Add(tempPath);
                parts.Add(new BundlePart(index, Path.GetFileName(tempPath), tempPath, size, sha1Hex));
                continue;
            }

            var fileName = BundleLayout.PartFileName(_name, index, _finished.Count);
            var path = Path.Combine(_directory, fileName);
            File.Move(tempPath, path, overwrite: false);
            _renamed.Add(path);
            parts.Add(new BundlePart(index, fileName, path, size, sha1Hex));
            _streamed.Add(new StreamedBundlePart(index, fileName, path, size, sha1Hex, md5Base64));
        }

        _finished.Clear();
        return parts;
    }

    /// <summary>Removes every part this writer created (after a failure or cancellation), and nothing else.</summary>
    public void DeleteAll()
    {
        _current?.Dispose();
        _current = null;
        if (_currentPath is not null)
        {
            File.Delete(_currentPath);
            _currentPath = null;
        }

        foreach (var path in _finished.Select(part => part.Path).Concat(_renamed))
        {
            File.Delete(path);
        }

        if (_currentHash is not null)
        {
            _currentHash.Dispose();
            _currentHash = null;
        }

        _currentMd5?.Dispose();
        _currentMd5 = null;
        _finished.Clear();
        _renamed.Clear();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current?.Dispose();
            _currentHash?.Dispose();
            _currentMd5?.Dispose();
        }

        base.Dispose(disposing);
    }

    private string TempPath(int index) =>
        Path.Combine(_directory, _name + ".part." + index.ToString(CultureInfo.InvariantCulture) + ".inprogress");

    private void OpenNextPart()
    {
        // CreateNew: a file of this name that the run did not write is never truncated, and so never deleted either.
        var path = TempPath(_finished.Count);
        _current = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.None);
        _currentPath = path;
        _currentHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        _currentMd5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        _currentSize = 0;
    }

    private void ClosePart()
    {
        if (_partFinished is not null)
        {
            // A part is announced only once it is whole on disk: whoever uploads it may read it at once.
            _current!.Flush(flushToDisk: true);
        }

        _current!.Dispose();
        _current = null;
        _currentPath = null;
        var sha1Hex = Convert.ToHexStringLower(_currentHash!.GetHashAndReset());
        _currentHash.Dispose();
        _currentHash = null;
        var md5Base64 = Convert.ToBase64String(_currentMd5!.GetHashAndReset());
        _currentMd5.Dispose();
        _currentMd5 = null;
        var index = _finished.Count;
        var path = TempPath(index);
        if (_fixedDigits is { } digits && _partFinished is not null)
        {
            var fileName = BundleLayout.PartFileNameWithDigits(_name, index, digits);
            var finalPath = Path.Combine(_directory, fileName);
            File.Move(path, finalPath, overwrite: false);
            path = finalPath;
            _finished.Add((path, _currentSize, sha1Hex, md5Base64));
            var part = new StreamedBundlePart(index, fileName, path, _currentSize, sha1Hex, md5Base64);
            _streamed.Add(part);
            _partFinished(part);
            return;
        }

        _finished.Add((path, _currentSize, sha1Hex, md5Base64));
    }
}
