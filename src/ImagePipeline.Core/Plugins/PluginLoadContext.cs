using System.Reflection;
using System.Runtime.Loader;

namespace ImagePipeline.Core.Plugins;

/// <summary>
/// Loads one plugin with its own dependencies (resolved from its .deps.json), while the contract
/// (ImagePipeline.Abstractions), the Microsoft.Extensions abstractions and the AWS SDK come from the host, so that
/// types such as IImageStrategy or IAmazonEC2 are the same types on both sides.
/// </summary>
public sealed class PluginLoadContext(string mainAssemblyPath) : AssemblyLoadContext(Path.GetFileNameWithoutExtension(mainAssemblyPath), isCollectible: false)
{
    private static readonly AssemblyLoadContext HostContext = GetLoadContext(typeof(PluginLoadContext).Assembly) ?? Default;

    private readonly AssemblyDependencyResolver _resolver = new(mainAssemblyPath);

    public static bool IsShared(AssemblyName name) =>
        name.Name is { } simple
        && (simple == "ImagePipeline.Abstractions"
            || simple.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal)
            || simple.StartsWith("AWSSDK.", StringComparison.Ordinal));

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (IsShared(assemblyName))
        {
            // From the host's own context (the default one, unless an embedding caller isolated the host): one copy of the
            // contract for host and plugins.
            return HostContext.LoadFromAssemblyName(assemblyName);
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
