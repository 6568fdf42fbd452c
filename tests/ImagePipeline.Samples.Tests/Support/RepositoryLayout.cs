using ImagePipeline.Host;

namespace ImagePipeline.Samples.Tests.Support;

/// <summary>
/// Where things are, derived from this test assembly's location (artifacts{slot}/bin/ImagePipeline.Samples.Tests/debug/),
/// so the tests use the build tree of whatever IMAGEPIPELINE_ARTIFACTS_SLOT built them and never hard-code artifacts/.
/// </summary>
internal static class RepositoryLayout
{
    private static readonly string TestOutput = AppContext.BaseDirectory;

    /// <summary>The repository root (the folder holding .nuke/).</summary>
    public static string Root { get; } = HostEnvironment.FindRoot(TestOutput);

    /// <summary>The artifacts folder this assembly was built into: artifacts, or artifacts-SLOT.</summary>
    public static string Artifacts { get; } = Path.GetFullPath(Path.Combine(TestOutput, "..", "..", ".."));

    /// <summary>The IMAGEPIPELINE_ARTIFACTS_SLOT value this assembly was built with ("" for the default tree).</summary>
    public static string ArtifactsSlot { get; } = Path.GetFileName(Artifacts)["artifacts".Length..];

    /// <summary>The build host's output folder, with the built-in plugins in plugins/ beside it.</summary>
    public static string HostFolder { get; } = Path.Combine(Artifacts, "bin", "_build", "debug");

    public static string BuiltInPlugins { get; } = Path.Combine(HostFolder, "plugins");

    /// <summary>The local cloud the host starts for --cloud local, in localcloud/ beside it.</summary>
    public static string LocalCloudExecutable { get; } = Path.Combine(HostFolder, "localcloud", "ImagePipeline.LocalCloud.dll");

    public static string PathOf(string relativePath) => Path.Combine(Root, relativePath);
}
