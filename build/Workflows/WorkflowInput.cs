namespace ImagePipeline.Build.Workflows;

/// <summary>A <c>workflow_dispatch</c> input: what a user fills in when starting the workflow from the Actions tab.</summary>
/// <param name="Name">The input id, kebab-case like the parameter it usually feeds.</param>
/// <param name="Type">GitHub's input type: <c>string</c>, <c>boolean</c> or <c>choice</c>.</param>
internal sealed record WorkflowInput(string Name, string Description, bool Required = false, string? Default = null, string Type = "string");
