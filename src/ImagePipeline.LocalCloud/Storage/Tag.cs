namespace ImagePipeline.LocalCloud.Storage;

/// <summary>An EC2 tag.</summary>
public sealed record Tag(string Key, string Value);
