namespace ImagePipeline.Bundling.Tests.Images;

/// <summary>A loop block device over a file (losetup, as root), detached on dispose.</summary>
public sealed class LoopDevice : IDisposable
{
    private LoopDevice(string path)
    {
        Path = path;
    }

    /// <summary>The device node, /dev/loopN.</summary>
    public string Path { get; }

    public static LoopDevice Attach(string backingFile, string workingDirectory) =>
        new(ShellCommand.Run($"losetup --find --show '{backingFile}'", workingDirectory).Trim());

    public void Dispose() => ShellCommand.Run($"losetup --detach '{Path}'", "/");
}
