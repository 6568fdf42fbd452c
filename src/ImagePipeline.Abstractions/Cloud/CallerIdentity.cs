namespace ImagePipeline.Abstractions;

/// <summary>Who the credentials belong to.</summary>
public sealed record CallerIdentity(string AccountId, string Arn);
