namespace ImagePipeline.Abstractions;

/// <summary>
/// A typed key into <see cref="RunState"/>. Steps declare the keys they write as static fields and read them back
/// without casts. The name is what the run-state file stores, so keep it stable across versions.
/// </summary>
public sealed class StateKey<T>(string name)
{
    public string Name { get; } = name;

    public override string ToString() => Name;
}
