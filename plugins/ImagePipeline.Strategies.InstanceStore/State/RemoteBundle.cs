using ImagePipeline.Strategies.InstanceStore.Bundles;

namespace ImagePipeline.Strategies.InstanceStore.State;

/// <summary>A bundle written on the instance (POSIX paths there), as remembered in run state.</summary>
public sealed record RemoteBundle(string Name, string Directory, IReadOnlyList<string> PartFileNames)
{
    public string ManifestFileName => BundleFiles.ManifestFileName(Name);

    public string PathOf(string fileName) => Directory.TrimEnd('/') + "/" + fileName;
}
