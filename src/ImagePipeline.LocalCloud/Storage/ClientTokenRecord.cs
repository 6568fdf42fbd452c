namespace ImagePipeline.LocalCloud.Storage;

/// <summary>An idempotent call already answered: its action, a digest of its parameters and the id it produced.</summary>
public sealed record ClientTokenRecord(string Action, string ParameterDigest, string ResultId);
