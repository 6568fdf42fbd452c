namespace ImagePipeline.Build.Workflows;

/// <summary>
/// A repository secret written to a private file under <c>$RUNNER_TEMP</c> for a parameter that takes a path (a
/// private key must not live in the repository). When the secret is empty the parameter stays unset.
/// </summary>
internal sealed record WorkflowSecretFile(string Secret, string FileName, string Parameter)
{
    public string EnvironmentVariable => new WorkflowParameter(Parameter, string.Empty).EnvironmentVariable;
}
