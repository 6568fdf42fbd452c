using ImagePipeline.Abstractions;

namespace ImagePipeline.Instances.VolumeBundling;

/// <summary>
/// The volume bundler shipped with the host: one self-contained single file per instance architecture, in
/// <c>agents/RID/</c> beside the host's assembly (the ImagePipeline project publishes them there and into its
/// packages), or at the package's root when the assembly is loaded from the package itself (<c>lib/net10.0/</c>).
/// </summary>
internal static class VolumeBundlerBinaries
{
    public const string FileName = "imagepipeline-volume-bundler";

    /// <summary>The runtime of the binary for what <c>uname -m</c> prints on the instance, or null when none is shipped for it.</summary>
    public static string? RuntimeFor(string machine) => machine.Trim() switch
    {
        "x86_64" or "amd64" => "linux-x64",
        "aarch64" or "arm64" => "linux-arm64",
        _ => null,
    };

    /// <summary>The unsupported-architecture refusal, one line naming the fix.</summary>
    public static string Unsupported(string host, string machine) =>
        $"{host} is a {machine.Trim()} machine; the volume bundler ships for x86_64 and aarch64 only: use an x86_64 or arm64 instance (for an instance-store image, --bundler ami-tools with the EC2 AMI tools installed there also works).";

    /// <summary>The binary for <paramref name="runtime"/>; throws naming the fix when the plugin was built without it.</summary>
    public static string PathFor(string runtime)
    {
        var folder = Path.GetDirectoryName(typeof(VolumeBundlerBinaries).Assembly.Location) is { Length: > 0 } beside ? beside : AppContext.BaseDirectory;
        var path = Path.Combine(folder, "agents", runtime, FileName);
        var packageRoot = Path.GetFullPath(Path.Combine(folder, "..", "..", "agents", runtime, FileName));
        path = !File.Exists(path) && File.Exists(packageRoot) ? packageRoot : path;
        return File.Exists(path)
            ? path
            : throw new PipelineException($"The volume bundler for {runtime} is missing at {path}; build ImagePipeline again (dotnet build), or, for an instance-store image, pass --bundler ami-tools.");
    }
}
