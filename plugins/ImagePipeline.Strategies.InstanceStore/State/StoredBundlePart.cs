namespace ImagePipeline.Strategies.InstanceStore.State;

/// <summary>One part file of a bundle on this host, as remembered in run state.</summary>
public sealed record StoredBundlePart(int Index, string FileName, string Path, long Size);
