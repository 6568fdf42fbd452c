using ImagePipeline.Testing;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>
/// The loopback sshd (<see cref="LoopbackSshServer"/>) standing in for the instance of the live-volume tests, with the
/// test AMI tools to run there.
/// </summary>
public class SshServerFixture : LoopbackSshServer
{
    /// <summary>The dotnet muxer, to run the test AMI tools on the "instance".</summary>
    public string DotnetPath { get; } = FindDotnet();

    /// <summary>ImagePipeline.Testing.AmiTools.dll in its own output folder (artifacts/bin/PROJECT/CONFIGURATION/).</summary>
    public string AmiToolsPath { get; } = Path.GetFullPath(Path.Combine(
        AppContext.BaseDirectory, "..", "..", "ImagePipeline.Testing.AmiTools", Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)), "ImagePipeline.Testing.AmiTools.dll"));

    public override async Task InitializeAsync()
    {
        if (!File.Exists(AmiToolsPath))
        {
            throw new InvalidOperationException($"The test AMI tools are not built at {AmiToolsPath}.");
        }

        await base.InitializeAsync();
    }

    private static string FindDotnet()
    {
        if (Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            return path;
        }

        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (root is not null && File.Exists(Path.Combine(root, "dotnet")))
        {
            return Path.Combine(root, "dotnet");
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
            .Select(folder => Path.Combine(folder, "dotnet"))
            .FirstOrDefault(File.Exists) ?? "dotnet";
    }
}
