namespace ImagePipeline.Core.Tests.Plugins;

/// <summary>Where the test plugins were built (they are built before the tests, but never referenced by them).</summary>
internal static class TestPluginBuilds
{
    /// <summary>artifacts/bin/NAME/CONFIGURATION/NAME.dll, next to this test assembly's own artifacts/bin folder.</summary>
    public static string AssemblyOf(string project)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testOutput.Name;
        var bin = testOutput.Parent!.Parent!.FullName;
        var path = Path.Combine(bin, project, configuration, project + ".dll");
        File.Exists(path).Should().BeTrue($"the test plugin {project} is built before the tests ({path})");
        return path;
    }
}
