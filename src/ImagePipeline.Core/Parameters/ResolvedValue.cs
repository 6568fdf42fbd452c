namespace ImagePipeline.Core.Parameters;

/// <summary>A parameter's typed value and where it came from.</summary>
public sealed record ResolvedValue(object Value, ParameterSource Source);
