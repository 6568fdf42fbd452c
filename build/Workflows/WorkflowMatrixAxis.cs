namespace ImagePipeline.Build.Workflows;

/// <summary>One dimension of the job matrix; its values come from an expression, usually a JSON list input.</summary>
/// <param name="Values">An expression such as <c>${{ fromJSON(inputs.regions) }}</c>.</param>
internal sealed record WorkflowMatrixAxis(string Name, string Values);
