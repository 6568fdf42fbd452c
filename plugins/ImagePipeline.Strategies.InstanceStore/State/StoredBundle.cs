namespace ImagePipeline.Strategies.InstanceStore.State;

/// <summary>A finished bundle on this host, as remembered in run state so that a resumed run can upload it.</summary>
public sealed record StoredBundle(string Name, string Directory, string ManifestPath, IReadOnlyList<StoredBundlePart> Parts, long ImageSize, long BundledSize)
{
    public string ManifestFileName => System.IO.Path.GetFileName(ManifestPath);
}
