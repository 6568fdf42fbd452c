namespace ImagePipeline.Host;

/// <summary>
/// Where the built-in plugins (<c>plugins/NAME/</c>) and the local cloud (<c>localcloud/</c>) that ship with this
/// assembly are: beside it in a build output, a tool or a package consumer's output (copied there by the package's
/// buildTransitive targets), or at the package's root when the assembly is loaded from the package itself
/// (<c>lib/net10.0/</c>, as a Cake addin is).
/// </summary>
internal static class ShippedFolders
{
    private static readonly string AssemblyFolder = Path.GetDirectoryName(typeof(ShippedFolders).Assembly.Location) is { Length: > 0 } folder ? folder : AppContext.BaseDirectory;

    public static string Plugins { get; } = Find("plugins");

    public static string LocalCloudExecutable { get; } = Path.Combine(Find("localcloud"), "ImagePipeline.LocalCloud.dll");

    private static string Find(string name)
    {
        var beside = Path.Combine(AssemblyFolder, name);
        var packageRoot = Path.GetFullPath(Path.Combine(AssemblyFolder, "..", "..", name));
        return !Directory.Exists(beside) && Directory.Exists(packageRoot) ? packageRoot : beside;
    }
}
