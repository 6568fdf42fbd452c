using System.Reflection;
using System.Runtime.Loader;

namespace ImagePipeline.Host;

/// <summary>
/// Loads the host and every assembly beside it (Microsoft.Extensions, the AWS SDK, ImagePipeline's own) in a context of
/// their own, so an embedding caller's copies, whatever their versions, never meet the host's. The runtime's own
/// assemblies still come from the default context.
/// </summary>
internal sealed class IsolatedHostLoadContext(string hostFolder) : AssemblyLoadContext("ImagePipeline host", isCollectible: false)
{
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = Path.Combine(hostFolder, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
