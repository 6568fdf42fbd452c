namespace ImagePipeline.LocalCloud.Faults;

/// <summary>A fault that was injected, for tests to count.</summary>
public sealed record FaultInjection(string Service, string Operation, FaultKind Kind, DateTimeOffset At);
