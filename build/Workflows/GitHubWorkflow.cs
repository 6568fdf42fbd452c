namespace ImagePipeline.Build.Workflows;

/// <summary>
/// A CI declaration in the spirit of Nuke's <c>[GitHubActions]</c> attribute: what a workflow needs to say (inputs,
/// matrix, parameters, artifacts); <see cref="GitHubWorkflowWriter"/> turns it into the job that runs <c>./build.sh</c>.
/// </summary>
internal sealed record GitHubWorkflow
{
    /// <summary>The workflow's name in the Actions tab.</summary>
    public required string Name { get; init; }

    /// <summary>Where the file goes, relative to the repository root.</summary>
    public required string RelativePath { get; init; }

    /// <summary>The C# file that declares it, named in the generated header.</summary>
    public required string DeclaredIn { get; init; }

    public required IReadOnlyList<WorkflowInput> Inputs { get; init; }

    public required IReadOnlyList<WorkflowMatrixAxis> Matrix { get; init; }

    /// <summary>The job's display name; may use the matrix.</summary>
    public required string JobName { get; init; }

    /// <summary>Runs in one group never overlap; a second run waits for the first (never cancels it mid-bake).</summary>
    public required string ConcurrencyGroup { get; init; }

    /// <summary>The IAM role the job assumes through GitHub's OIDC token; no long-lived keys.</summary>
    public required string RoleToAssume { get; init; }

    /// <summary>The region the credentials are configured for.</summary>
    public required string AwsRegion { get; init; }

    /// <summary>The build.sh arguments: a target and the fixed options.</summary>
    public required IReadOnlyList<string> BuildArguments { get; init; }

    public required IReadOnlyList<WorkflowParameter> Parameters { get; init; }

    /// <summary>Secrets written to files before the build, for parameters that take a path.</summary>
    public IReadOnlyList<WorkflowSecretFile> SecretFiles { get; init; } = [];

    /// <summary>The uploaded artifact's name; may use the matrix.</summary>
    public required string ArtifactName { get; init; }

    /// <summary>Files uploaded whatever the outcome; may use the bake step's outputs.</summary>
    public required IReadOnlyList<string> ArtifactPaths { get; init; }
}
