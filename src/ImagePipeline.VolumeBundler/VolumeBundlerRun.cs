using System.Globalization;
using System.Text.Json;
using ImagePipeline.Abstractions;
using ImagePipeline.Bundling;
using ImagePipeline.Bundling.Credentials;
using ImagePipeline.VolumeBundler.Copying;
using ImagePipeline.VolumeBundler.Imaging;
using ImagePipeline.VolumeBundler.Mounts;
using ImagePipeline.VolumeBundler.Native;
using ImagePipeline.VolumeBundler.Reporting;

namespace ImagePipeline.VolumeBundler;

/// <summary>
/// One run, in ec2-bundle-vol's order: check everything that can be checked, make and mount the image, copy the volume
/// into it, add the special devices and fstab, unmount and detach, bundle it part by part, delete the image. Whatever
/// fails or is interrupted, what the run made is removed: mount, loop device, image, parts, and the destination folder
/// when the run created it.
/// </summary>
internal sealed class VolumeBundlerRun
{
    private const long MiB = 1024 * 1024;

    private readonly VolumeBundlerOptions _options;
    private readonly EventReport _report;
    private readonly CleanupStack _created = new();
    private readonly CleanupStack _attached = new();

    public VolumeBundlerRun(VolumeBundlerOptions options, EventReport report)
    {
        _options = options;
        _report = report;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunStepsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            foreach (var problem in (await _attached.UndoAllAsync().ConfigureAwait(false)).Concat(await _created.UndoAllAsync().ConfigureAwait(false)))
            {
                _report.Warn("Cleanup: " + problem);
            }

            throw;
        }
    }

    private async Task RunStepsAsync(CancellationToken cancellationToken)
    {
        if (Libc.EffectiveUserId() != 0)
        {
            throw PipelineException.Input("The volume bundler must run as root to mount the image and keep file owners; run it with sudo.");
        }

        var volume = Path.TrimEndingDirectorySeparator(Path.GetFullPath(_options.Volume));
        volume = volume.Length == 0 ? "/" : volume;
        var destination = Path.TrimEndingDirectorySeparator(Path.GetFullPath(_options.OutputDevice ?? _options.Destination));
        var name = _options.Prefix;
        var mounts = MountTable.Load();
        var onDevice = _options.OutputDevice is not null;
        var deviceSize = onDevice ? CheckOutputDevice(destination, mounts) : 0;
        if (!onDevice)
        {
            CheckInputs(volume, destination, name);
        }
        else if (!Directory.Exists(volume))
        {
            throw PipelineException.Input($"--volume '{_options.Volume}' does not exist; pass the mount point of the file system to image, for example /.");
        }

        var volumeMount = mounts.At(volume)
            ?? throw PipelineException.Input($"--volume '{_options.Volume}' is not a mount point; pass the mount point of the file system to bundle, for example / (findmnt lists them).");
        await CheckLoopDevicesAsync().ConfigureAwait(false);

        var identity = await FileSystemIdentityReader.ReadAsync(volumeMount, _report.Warn).ConfigureAwait(false);
        if (!FileSystemIdentity.Supported.Contains(identity.Type))
        {
            _report.Warn($"The volume's file system '{identity.Type}' cannot be made in an image here; the image is ext4.");
            identity = identity with { Type = "ext4" };
        }

        // On a device, the image is the device itself and its mount point a fresh, unguessable folder left out of the copy.
        var imagePath = onDevice ? destination : Path.Combine(destination, name);
        var mountPoint = onDevice ? Path.Combine(Path.GetTempPath(), "imagepipeline-output-" + Guid.NewGuid().ToString("N")) : Path.Combine(destination, "." + name + ".mount");
        if (!onDevice)
        {
            CreateDestination(destination);
        }

        var plan = new VolumeCopyPlan
        {
            SourceRoot = volume,
            TargetRoot = mountPoint,
            Excluded = ExcludedPaths(volume, onDevice ? mountPoint : destination),
            RecreatedEmpty = ImageFinisher.AlwaysExcluded.Select(directory => Path.Combine(volume, directory)).ToHashSet(StringComparer.Ordinal),
            Mounts = mounts,
            AllMounts = _options.AllMounts,
            Filter = new SecurityFilter(!_options.NoFilter, _options.Includes.Select(path => FullPath(volume, path)).ToHashSet(StringComparer.Ordinal)),
        };
        // Copy progress counts data bytes against the space the entries take on the volume (an estimate).
        long copied = 0;
        long copyTotal = 0;
        var copier = new VolumeCopier(plan, _report.Warn, bytes => _report.Progress("copy", copied += bytes, Math.Max(copyTotal, copied)));
        var estimate = copier.Measure(cancellationToken);
        copyTotal = estimate.AllocatedBytes;
        var imageSize = onDevice ? deviceSize : _options.SizeMegabytes * MiB;
        if (!onDevice)
        {
            CheckDestinationRoom(destination, estimate.AllocatedBytes);
        }

        var fileSystemReport = new FileSystemReport(identity.Type, identity.Label, identity.Uuid);
        _report.Write(new StartedEvent(volume, name, destination, imageSize, _options.Partition.ToString().ToLowerInvariant(), _options.Architecture, fileSystemReport));

        await ImageFileBuilder.BuildAndMountAsync(
            new ImageSpecification(imagePath, imageSize, _options.Partition, identity, mountPoint, ExistingTarget: onDevice), _created, _attached, cancellationToken).ConfigureAwait(false);
        var free = new DriveInfo(mountPoint).TotalFreeSpace;
        if (estimate.AllocatedBytes > free)
        {
            throw SizeTooSmall(volume, estimate.AllocatedBytes);
        }

        CopyStatistics statistics;
        try
        {
            statistics = await Task.Factory.StartNew(
                () => copier.Copy(cancellationToken),
                cancellationToken,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).ConfigureAwait(false);
            ImageFinisher.AddDirectoriesAndDevices(mountPoint);
            if (_options.FstabPath is not null)
            {
                ImageFinisher.ReplaceFstab(mountPoint, await File.ReadAllBytesAsync(_options.FstabPath, cancellationToken).ConfigureAwait(false));
            }
            else if (_options.GenerateFstab)
            {
                ImageFinisher.ReplaceFstab(mountPoint, System.Text.Encoding.UTF8.GetBytes(ImageFinisher.GeneratedFstab(identity, _options.Partition)));
            }
        }
        catch (IOException ex) when (ex.HResult == Libc.NoSpace || ex is NativeCallException { Errno: Libc.NoSpace })
        {
            throw SizeTooSmall(volume, estimate.AllocatedBytes);
        }

        _report.Progress("copy", Math.Max(copyTotal, copied), Math.Max(copyTotal, copied));

        // The image must be unmounted and detached (its file system complete on disk) before it is bundled.
        var detachProblems = await _attached.UndoAllAsync().ConfigureAwait(false);
        if (detachProblems.Count > 0)
        {
            throw new PipelineException("The image could not be detached: " + string.Join("; ", detachProblems));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var copyReport = new CopyReport(statistics.Bytes, statistics.Directories, statistics.Files, statistics.HardLinks, statistics.Symlinks, statistics.Specials, statistics.Filtered, statistics.Excluded, statistics.SkippedMounts);
        if (onDevice)
        {
            _report.Write(new WrittenEvent(destination, imageSize, fileSystemReport, copyReport));
            return;
        }

        var bundle = await BundleAsync(imagePath, name, destination, imageSize, cancellationToken).ConfigureAwait(false);
        _created.Push("remove the parts", () =>
        {
            foreach (var part in bundle.Parts)
            {
                File.Delete(part.Path);
            }
        });

        var result = new ResultEvent(bundle, fileSystemReport, copyReport);
        WriteResultFile(destination, name, result);
        cancellationToken.ThrowIfCancellationRequested();

        // Success: the image goes (the parts are the bundle); the parts and the result stay for the host.
        File.Delete(imagePath);
        _report.Write(result);
    }

    private async Task<UnsignedBundle> BundleAsync(string imagePath, string name, string destination, long imageSize, CancellationToken cancellationToken)
    {
        try
        {
            return await new KeylessImageBundler().BundleAsync(
                new KeylessBundleRequest
                {
                    ImagePath = imagePath,
                    Name = name,
                    DestinationDirectory = destination,
                    UserCertificatePath = _options.UserCertificatePath,
                    Ec2CertificatePath = _options.Ec2CertificatePath,
                    Architecture = _options.Architecture,
                    BlockDeviceMappings = _options.BlockDeviceMappings,
                    KernelId = _options.KernelId,
                    RamdiskId = _options.RamdiskId,
                },
                new BundleProgress(_report, imageSize),
                part => _report.Write(new PartEvent(part.Index, part.FileName, part.Path, part.Size, part.Sha1Hex, part.Md5Base64)),
                cancellationToken).ConfigureAwait(false);
        }
        catch (PipelineException ex) when (ex.InnerException is IOException { HResult: Libc.NoSpace })
        {
            throw PipelineException.Input($"--destination '{destination}' ran out of room for the parts; free some space there or pass a --destination with more room (for example the instance store under /mnt).", ex);
        }
    }

    /// <summary>The image holds about the data copied, and the parts at most as much again.</summary>
    private void CheckDestinationRoom(string destination, long dataBytes)
    {
        var free = new DriveInfo(destination).AvailableFreeSpace;
        if (free < dataBytes)
        {
            throw PipelineException.Input($"--destination '{destination}' has {free / MiB} MB free but the image alone needs about {dataBytes / MiB} MB; free some space there or pass a --destination with more room (for example the instance store under /mnt).");
        }

        if (free < 2 * dataBytes)
        {
            _report.Warn($"--destination '{destination}' has {free / MiB} MB free; the image and its parts may need up to {2 * dataBytes / MiB} MB if the data does not compress.");
        }
    }

    private void CheckInputs(string volume, string destination, string name)
    {
        if (BundleRequestRules.ProblemWithName(name) is { } nameProblem)
        {
            throw PipelineException.Input(nameProblem.Replace("bundle name", "--prefix", StringComparison.Ordinal));
        }

        if (!Directory.Exists(volume))
        {
            throw PipelineException.Input($"--volume '{_options.Volume}' does not exist; pass the mount point of the file system to bundle, for example /.");
        }

        foreach (var (path, role) in new[] { (_options.UserCertificatePath, "user"), (_options.Ec2CertificatePath, "EC2") })
        {
            using var certificate = PemCredentialLoader.LoadCertificate(path, role);
            using var key = PemCredentialLoader.RequireRsaPublicKey(certificate, path, role);
        }

        if (_options.FstabPath is not null && !File.Exists(_options.FstabPath))
        {
            throw PipelineException.Input($"--fstab '{_options.FstabPath}' does not exist; pass the path of the fstab to put in the image.");
        }

        if (File.Exists(destination))
        {
            throw PipelineException.Input($"--destination '{_options.Destination}' is a file; pass a directory for the image and the parts.");
        }

        if (File.Exists(Path.Combine(destination, name))
            || (Directory.Exists(destination) && Directory.EnumerateFileSystemEntries(destination, name + ".part.*").Any()))
        {
            throw PipelineException.Input($"'{destination}' already holds an image or parts named '{name}'; remove them or pass another --prefix.");
        }
    }

    /// <summary>
    /// The --output-device must be a block device (or, on a test host, a volume's file) that nothing has mounted, with room
    /// for a file system; returns its size. Everything on it is written over.
    /// </summary>
    private long CheckOutputDevice(string device, MountTable mounts)
    {
        if (!File.Exists(device))
        {
            throw PipelineException.Input($"--output-device '{_options.OutputDevice}' does not exist; pass the device the new volume is attached as (lsblk lists them).");
        }

        var resolved = new FileInfo(device).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? device;
        var status = Libc.LStat(resolved);
        if (status.Type is not (FileStatus.BlockDevice or FileStatus.RegularFile))
        {
            throw PipelineException.Input($"--output-device '{_options.OutputDevice}' is not a block device; pass the device the new volume is attached as (lsblk lists them).");
        }

        if (status.Type == FileStatus.BlockDevice && mounts.HasMountFrom($"{status.SpecialMajor}:{status.SpecialMinor}"))
        {
            throw PipelineException.Input($"--output-device '{_options.OutputDevice}' is mounted; pass a new, unmounted volume: everything on it is written over.");
        }

        using var handle = File.OpenHandle(resolved, FileMode.Open, FileAccess.Read);
        var size = ImagePipeline.Bundling.Images.ImageSize.Of(handle);
        return size >= VolumeBundlerOptions.MinimumSizeMegabytes * MiB
            ? size
            : throw PipelineException.Input($"--output-device '{_options.OutputDevice}' holds {size} bytes, too small for a file system; pass a volume of at least 1 GiB.");
    }

    private static async Task CheckLoopDevicesAsync()
    {
        var (exitCode, _, error) = await ExternalCommand.TryRunAsync("losetup", ["--find"]).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw PipelineException.Input($"No loop device is available ({error.Trim()}); load the loop module with 'modprobe loop', or bundle on an instance whose kernel has loop devices.");
        }
    }

    private void CreateDestination(string destination)
    {
        // Created with its missing parents; only the folders this run created are removed after a failure.
        var missing = new Stack<string>();
        for (var path = destination; !Directory.Exists(path); path = Path.GetDirectoryName(path)!)
        {
            missing.Push(path);
        }

        foreach (var path in missing)
        {
            Directory.CreateDirectory(path);
            Libc.Chmod(path, 0b111_000_000);
            _created.Push($"remove the destination {path}", () =>
            {
                if (Directory.Exists(path) && !Directory.EnumerateFileSystemEntries(path).Any())
                {
                    Directory.Delete(path);
                }
            });
        }
    }

    private HashSet<string> ExcludedPaths(string volume, string destination)
    {
        var excluded = _options.Excludes.Select(path => FullPath(volume, path)).ToHashSet(StringComparer.Ordinal);
        excluded.Add(destination);
        return excluded;
    }

    /// <summary>An absolute path as given; a relative one is taken from the volume.</summary>
    private static string FullPath(string volume, string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path.StartsWith('/') ? path : Path.Combine(volume, path)));
        return full.Length == 0 ? "/" : full;
    }

    private PipelineException SizeTooSmall(string volume, long neededBytes)
    {
        var suggested = Math.Min(VolumeBundlerOptions.MaximumSizeMegabytes, (long)Math.Ceiling((neededBytes * 1.15 / MiB) + 32));
        return PipelineException.Input(string.Create(
            CultureInfo.InvariantCulture,
            $"--size {_options.SizeMegabytes} MB is too small for the {neededBytes / MiB} MB to copy from '{volume}'; pass --size {suggested} or more, or leave directories out with --exclude."));
    }

    private static void WriteResultFile(string destination, string name, ResultEvent result)
    {
        // The result beside the parts lets a host that lost the connection pick up a finished bundle without bundling again.
        var path = Path.Combine(destination, name + ".bundle.json");
        var temporary = path + ".inprogress";
        File.WriteAllText(temporary, JsonSerializer.Serialize<VolumeBundlerEvent>(result, ReportJsonContext.Default.VolumeBundlerEvent));
        File.Move(temporary, path, overwrite: true);
    }

    private sealed class BundleProgress(EventReport report, long total) : IProgress<long>
    {
        public void Report(long value) => report.Progress("bundle", value, total);
    }
}
