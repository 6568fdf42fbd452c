namespace ImagePipeline.Abstractions;

/// <summary>How the volume bundler ended: its exit status (null when a signal ended it) and its standard error lines.</summary>
public sealed record VolumeBundlerExit(int? ExitStatus, IReadOnlyList<string> ErrorLines);
