namespace ImagePipeline.Abstractions;

/// <summary>
/// Identifies a strategy by backing store and platform, written <c>instance-store/linux</c>; a plugin that adds a strategy
/// beside the plain one of its backing store and platform gives it a <see cref="Variant"/> name, chosen with
/// <c>--strategy NAME</c> and written <c>ebs/linux/NAME</c>.
/// </summary>
public readonly record struct StrategyKey(BackingStore BackingStore, Platform Platform)
{
    /// <summary>The name of an added strategy (lower-case letters, digits and dashes), or null for the plain one.</summary>
    public string? Variant { get; init; }

    public override string ToString() => $"{KebabCase.From(BackingStore)}/{KebabCase.From(Platform)}" + (Variant is null ? string.Empty : $"/{Variant}");
}
