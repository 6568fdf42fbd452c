namespace ImagePipeline.Strategies.InstanceStore.Certificates;

/// <summary>
/// Decides whether a staged key could end up inside what is bundled. For a local image file the bundled bytes are the
/// image itself, so the danger is an image that is live: a mounted disk or partition, or a file behind a mounted loop
/// device, whose file system may hold the run's folder (and so the staged key) while it is read. An image or a bundle
/// destination inside the staging folder is refused too: the key would sit among what is bundled and uploaded.
/// </summary>
public static class BundledContentGuard
{
    /// <summary>Problems known before the run's folder exists: the image is a key file, or is mounted.</summary>
    public static string? ProblemWithImage(string imagePath, IEnumerable<string> keyMaterialPaths)
    {
        var image = Resolve(imagePath);
        if (keyMaterialPaths.Select(Resolve).Contains(image, StringComparer.Ordinal))
        {
            return $"--image-file '{imagePath}' is one of the certificate or key files; pass the raw disk image to bundle.";
        }

        if (MountedSourceBackedBy(image) is { } source)
        {
            return $"--image-file '{imagePath}' is mounted (as {source}), so files written during the run, the staged key among them, could end up inside the image; unmount it, or bundle a copy.";
        }

        return null;
    }

    /// <summary>Problems with the actual staging folder, checked before anything is staged.</summary>
    public static string? ProblemWithStaging(string stagingDirectory, string imagePath, string bundleDestination)
    {
        var staging = Path.GetFullPath(stagingDirectory);
        var destination = Path.GetFullPath(bundleDestination);
        if (IsWithin(destination, staging))
        {
            return $"The bundle destination '{bundleDestination}' lies in the key staging folder '{stagingDirectory}'; pass a --bundle-destination outside it.";
        }

        if (IsWithin(Resolve(imagePath), staging))
        {
            return $"--image-file '{imagePath}' lies in the key staging folder; pass an image outside the run's folder.";
        }

        return null;
    }

    public static bool IsWithin(string path, string folder)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        return full.Equals(root, StringComparison.Ordinal) || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            return new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        }
        catch (IOException)
        {
            return full;
        }
    }

    /// <summary>The mounted source that reads from <paramref name="image"/> (the device itself, one of its partitions, or a loop device over the file), or null.</summary>
    private static string? MountedSourceBackedBy(string image)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/mountinfo"))
        {
            return null;
        }

        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // Fields after the " - " separator are: file system type, mount source, super options.
            var separator = line.IndexOf(" - ", StringComparison.Ordinal);
            if (separator < 0)
            {
                continue;
            }

            var tail = line[(separator + 3)..].Split(' ');
            if (tail.Length < 2 || !tail[1].StartsWith("/dev/", StringComparison.Ordinal))
            {
                continue;
            }

            var source = Resolve(tail[1]);
            if (source.Equals(image, StringComparison.Ordinal) || (image.StartsWith("/dev/", StringComparison.Ordinal) && IsPartitionOf(source, image)))
            {
                return source;
            }

            if (source.StartsWith("/dev/loop", StringComparison.Ordinal) && LoopBackingFile(source) is { } backing && backing.Equals(image, StringComparison.Ordinal))
            {
                return source;
            }
        }

        return null;
    }

    // /dev/sda → /dev/sda1, /dev/nvme0n1 → /dev/nvme0n1p1, /dev/mmcblk0 → /dev/mmcblk0p1.
    private static bool IsPartitionOf(string source, string disk) =>
        source.Length > disk.Length && source.StartsWith(disk, StringComparison.Ordinal)
        && source[disk.Length..].TrimStart('p').All(char.IsAsciiDigit);

    private static string? LoopBackingFile(string loopDevice)
    {
        var path = $"/sys/block/{Path.GetFileName(loopDevice)}/loop/backing_file";
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
