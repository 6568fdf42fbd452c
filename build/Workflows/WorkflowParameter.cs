namespace ImagePipeline.Build.Workflows;

/// <summary>
/// A build parameter the job sets from an input, the matrix, a repository variable or a secret. It is passed as the
/// parameter's <c>IMAGEPIPELINE_*</c> environment variable rather than spliced into the command line, so a value can
/// never inject shell syntax, and an empty optional input simply leaves the parameter unset.
/// </summary>
/// <param name="Name">The parameter, kebab-case, as on the command line.</param>
/// <param name="Value">A GitHub expression or text, such as <c>${{ inputs.ami-name }}</c>.</param>
internal sealed record WorkflowParameter(string Name, string Value)
{
    public string EnvironmentVariable => "IMAGEPIPELINE_" + Name.Replace('-', '_').ToUpperInvariant();
}
