namespace ImagePipeline.Core.Planning;

/// <summary>A target as a declaration (Nuke-style): its name, what it does, and what runs before it.</summary>
public sealed record TargetDefinition(string Name, string Description, IReadOnlyList<string> DependsOn);
