namespace ImagePipeline.Abstractions;

/// <summary>Identifies a strategy by backing store and platform, written <c>instance-store/linux</c>.</summary>
public readonly record struct StrategyKey(BackingStore BackingStore, Platform Platform)
{
    public override string ToString() => $"{KebabCase.From(BackingStore)}/{KebabCase.From(Platform)}";
}
