using ImagePipeline.Bundling;
using ImagePipeline.Bundling.Images;
using ImagePipeline.VolumeBundler.Native;
using Microsoft.Win32.SafeHandles;

namespace ImagePipeline.VolumeBundler.Copying;

/// <summary>
/// Copies the volume into the mounted image the way <c>rsync -aHAXS</c> would, with ec2-bundle-vol's exclusions:
/// owners, modes (setuid, setgid, sticky), access and modification times (a directory's after its children),
/// hard links as links, symlinks as they are (not followed), sparse files with their holes, device nodes, FIFOs and
/// sockets, extended attributes and POSIX ACLs. The same walk, run with <c>dryRun</c>, measures what would be copied.
/// </summary>
internal sealed class VolumeCopier
{
    private const int BufferSize = 1024 * 1024;
    private const int NoSuchFile = 2;

    private readonly VolumeCopyPlan _plan;
    private readonly Action<string> _warn;
    private readonly Action<long> _copiedBytes;
    private readonly Dictionary<(uint, uint, ulong), string> _linkTargets = [];
    private readonly byte[] _buffer = new byte[BufferSize];
    private CopyStatistics _statistics = new();
    private bool _dryRun;

    public VolumeCopier(VolumeCopyPlan plan, Action<string> warn, Action<long> copiedBytes)
    {
        _plan = plan;
        _warn = warn;
        _copiedBytes = copiedBytes;
    }

    public CopyStatistics Measure(CancellationToken cancellationToken) => Walk(dryRun: true, cancellationToken);

    public CopyStatistics Copy(CancellationToken cancellationToken) => Walk(dryRun: false, cancellationToken);

    private CopyStatistics Walk(bool dryRun, CancellationToken cancellationToken)
    {
        _dryRun = dryRun;
        _statistics = new CopyStatistics();
        _linkTargets.Clear();
        var root = Libc.LStat(_plan.SourceRoot);
        CopyDirectoryContent(_plan.SourceRoot, _plan.TargetRoot, cancellationToken);
        if (!dryRun)
        {
            // The image's root takes the volume root's owner, mode, attributes and times.
            ApplyAttributes(_plan.SourceRoot, _plan.TargetRoot, root);
            Libc.SetTimes(_plan.TargetRoot, root.AccessTime, root.ModificationTime);
        }

        return _statistics;
    }

    private void CopyDirectoryContent(string source, string target, CancellationToken cancellationToken)
    {
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries(source).ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }

        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(entry);
            if (name.Contains('\uFFFD', StringComparison.Ordinal))
            {
                _warn($"'{entry}' is left out: its name is not valid UTF-8.");
                continue;
            }

            CopyEntry(entry, Path.Combine(target, name), cancellationToken);
        }
    }

    private void CopyEntry(string source, string target, CancellationToken cancellationToken)
    {
        if (_plan.Excluded.Contains(source))
        {
            _statistics.Excluded++;
            return;
        }

        FileStatus status;
        try
        {
            status = Libc.LStat(source);
        }
        catch (NativeCallException ex) when (ex.Errno == NoSuchFile)
        {
            return; // Vanished since the directory was listed: a live system changes while it is copied.
        }

        if (_plan.RecreatedEmpty.Contains(source))
        {
            if (status.IsDirectory)
            {
                MakeEmptyDirectory(target, status);
            }

            return;
        }

        if (status.IsDirectory && _plan.Mounts.At(source) is { } mount
            && !_plan.AllMounts && !Mounts.MountTable.LocalTypes.Contains(mount.FileSystemType))
        {
            _statistics.SkippedMounts++;
            MakeEmptyDirectory(target, status);
            return;
        }

        if (_plan.Filter.Excludes(source[_plan.SourceRoot.TrimEnd('/').Length..], source))
        {
            _statistics.Filtered++;
            return;
        }

        if (status.IsDirectory)
        {
            _statistics.Directories++;
            _statistics.AllocatedBytes += status.AllocatedBytes;
            if (!_dryRun)
            {
                Directory.CreateDirectory(target);
                ApplyAttributes(source, target, status);
            }

            CopyDirectoryContent(source, target, cancellationToken);
            if (!_dryRun)
            {
                Libc.SetTimes(target, status.AccessTime, status.ModificationTime);
            }

            return;
        }

        if (status.LinkCount > 1)
        {
            if (_linkTargets.TryGetValue(status.Identity, out var first))
            {
                _statistics.HardLinks++;
                if (!_dryRun)
                {
                    Libc.Link(first, target);
                }

                return;
            }

            _linkTargets[status.Identity] = target;
        }

        _statistics.AllocatedBytes += status.AllocatedBytes;
        switch (status.Type)
        {
            case FileStatus.RegularFile:
                _statistics.Files++;
                if (!_dryRun && !CopyFileData(source, target, status, cancellationToken))
                {
                    _linkTargets.Remove(status.Identity);
                    return;
                }

                _statistics.Bytes += status.Size;
                break;
            case FileStatus.SymbolicLink:
                _statistics.Symlinks++;
                if (!_dryRun)
                {
                    var linkTarget = new FileInfo(source).LinkTarget;
                    if (linkTarget is null)
                    {
                        return;
                    }

                    File.CreateSymbolicLink(target, linkTarget);
                }

                break;
            default:
                _statistics.Specials++;
                if (!_dryRun)
                {
                    Libc.MkNod(target, status.Mode, status.SpecialMajor, status.SpecialMinor);
                }

                break;
        }

        if (!_dryRun)
        {
            ApplyAttributes(source, target, status);
            Libc.SetTimes(target, status.AccessTime, status.ModificationTime);
        }
    }

    /// <summary>Copies the data regions only, so holes stay holes; false when the file vanished.</summary>
    private bool CopyFileData(string source, string target, FileStatus status, CancellationToken cancellationToken)
    {
        SafeFileHandle input;
        try
        {
            input = File.OpenHandle(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }

        using (input)
        using (var output = File.OpenHandle(target, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            var size = status.Size;
            var regions = ImageDataMap.FindDataRegionsAsync(input, size, cancellationToken).GetAwaiter().GetResult();
            foreach (var region in regions)
            {
                var offset = region.Offset;
                while (offset < region.End)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var read = RandomAccess.Read(input, _buffer.AsSpan(0, (int)Math.Min(_buffer.Length, region.End - offset)), offset);
                    if (read == 0)
                    {
                        break; // The file shrank while it was copied.
                    }

                    RandomAccess.Write(output, _buffer.AsSpan(0, read), offset);
                    offset += read;
                    _copiedBytes(read);
                }
            }

            RandomAccess.SetLength(output, size);
        }

        return true;
    }

    private void MakeEmptyDirectory(string target, FileStatus status)
    {
        _statistics.Directories++;
        if (_dryRun)
        {
            return;
        }

        Directory.CreateDirectory(target);
        Libc.LChown(target, status.Uid, status.Gid);
        Libc.Chmod(target, status.Permissions);
        Libc.SetTimes(target, status.AccessTime, status.ModificationTime);
    }

    /// <summary>Owner first (a chown clears setuid, setgid and file capabilities), then mode, then extended attributes.</summary>
    private void ApplyAttributes(string source, string target, FileStatus status)
    {
        Libc.LChown(target, status.Uid, status.Gid);
        if (status.Type != FileStatus.SymbolicLink)
        {
            Libc.Chmod(target, status.Permissions);
        }

        foreach (var name in Libc.ListAttributes(source))
        {
            var value = Libc.GetAttribute(source, name);
            if (value is null)
            {
                continue;
            }

            try
            {
                Libc.SetAttribute(target, name, value);
            }
            catch (NativeCallException ex) when (ex.Errno is Libc.NotSupported or Libc.NotPermitted)
            {
                // rsync -X drops these silently; the report says which.
                _warn($"The extended attribute '{name}' of '{source}' cannot be kept in the image: {ex.Message}");
            }
        }
    }
}
