using System.Reflection;

namespace ImagePipeline.Host;

/// <summary>The version of the ImagePipeline packages this assembly shipped in (SemVer, without build metadata).</summary>
internal static class ProductVersion
{
    public static string Text { get; } =
        (typeof(ProductVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];
}
