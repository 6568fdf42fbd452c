using ImagePipeline.Abstractions;

namespace ImagePipeline.Strategies.InstanceStore.Ssh;

/// <summary>
/// The volume bundler shipped with the plugin: one self-contained single file per instance architecture, in
/// <c>agents/RID/</c> beside the plugin's assembly (the plugin's project publishes them there).
/// </summary>
public static class VolumeBundlerBinaries
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
        $"{host} is a {machine.Trim()} machine; the builtin bundler ships for x86_64 and aarch64 only: pass --bundler ami-tools with the EC2 AMI tools installed there.";

    /// <summary>The binary for <paramref name="runtime"/>; throws naming the fix when the plugin was built without it.</summary>
    public static string PathFor(string runtime)
    {
        var path = Path.Combine(Path.GetDirectoryName(typeof(VolumeBundlerBinaries).Assembly.Location)!, "agents", runtime, FileName);
        return File.Exists(path)
            ? path
            : throw new PipelineException($"The volume bundler for {runtime} is missing at {path}; build the instance-store plugin again (dotnet build), or pass --bundler ami-tools.");
    }
}
