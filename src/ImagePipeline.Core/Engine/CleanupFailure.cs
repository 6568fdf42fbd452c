namespace ImagePipeline.Core.Engine;

/// <summary>A cleanup that threw; the other cleanups still ran.</summary>
public sealed record CleanupFailure(string StepId, Exception Error);
