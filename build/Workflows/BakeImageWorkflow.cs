namespace ImagePipeline.Build.Workflows;

/// <summary>
/// The CI declaration behind <c>.github/workflows/bake-image.yml</c>: bake an image for each chosen strategy and region,
/// started by hand from the Actions tab. Change it here and run <c>./build.sh GenerateWorkflows</c>; a test fails while
/// the checked-in file is stale.
/// </summary>
internal static class BakeImageWorkflow
{
    private const string Output = "artifacts/bake";

    public static GitHubWorkflow Definition { get; } = new()
    {
        Name = "bake-image",
        RelativePath = ".github/workflows/bake-image.yml",
        DeclaredIn = "build/Workflows/BakeImageWorkflow.cs",
        Inputs =
        [
            new("ami-name", "The AMI name ({timestamp}, {date} and {git_sha} are expanded); each matrix cell appends -BACKING-STORE-PLATFORM so cells never collide.", Required: true),
            new("backing-stores", "The backing stores to bake, as a JSON list: instance-store, ebs.", Default: """["ebs"]"""),
            new("platforms", "The platforms to bake, as a JSON list: linux, windows.", Default: """["linux"]"""),
            new("regions", "The regions to bake in, as a JSON list.", Default: """["us-east-1"]"""),
            new("instance-id", "ebs: the instance to capture (i-...)."),
            new("bucket", "instance-store: the S3 bucket for the bundle."),
            new("tags", "Tags for the image, as key=value,key=value."),
            new("force-deregister", "Replace an existing image of the same name.", Default: "false", Type: "boolean"),
            new("role-arn", "The IAM role to assume through OIDC; empty uses the repository variable AWS_ROLE_ARN."),
        ],
        Matrix =
        [
            new("backing-store", "${{ fromJSON(inputs.backing-stores) }}"),
            new("platform", "${{ fromJSON(inputs.platforms) }}"),
            new("region", "${{ fromJSON(inputs.regions) }}"),
        ],
        JobName = "${{ matrix.backing-store }}/${{ matrix.platform }} in ${{ matrix.region }}",
        ConcurrencyGroup = "bake-image-${{ inputs.ami-name }}-${{ matrix.backing-store }}-${{ matrix.platform }}-${{ matrix.region }}",
        RoleToAssume = "${{ inputs.role-arn || vars.AWS_ROLE_ARN }}",
        AwsRegion = "${{ matrix.region }}",
        BuildArguments = ["RegisterImage", "--cloud", "aws", "--output-json", $"{Output}/summary.json"],
        Parameters =
        [
            new("backing-store", "${{ matrix.backing-store }}"),
            new("platform", "${{ matrix.platform }}"),
            new("region", "${{ matrix.region }}"),
            new("ami-name", "${{ inputs.ami-name }}-${{ matrix.backing-store }}-${{ matrix.platform }}"),
            new("instance-id", "${{ inputs.instance-id }}"),
            new("bucket", "${{ inputs.bucket }}"),
            new("tags", "${{ inputs.tags }}"),
            new("force-deregister", "${{ inputs.force-deregister }}"),
            new("bundle-destination", $"{Output}/bundle"),

            // instance-store material lives in the repository's settings, not in the dispatch form.
            new("x509-cert-path", "${{ vars.IMAGEPIPELINE_X509_CERT_PATH }}"),
            new("x509-key-passphrase", "${{ secrets.IMAGEPIPELINE_X509_KEY_PASSPHRASE }}"),
        ],
        SecretFiles = [new("IMAGEPIPELINE_X509_KEY", "x509-key.pem", "x509-key-path")],
        ArtifactName = "bake-image-${{ matrix.backing-store }}-${{ matrix.platform }}-${{ matrix.region }}",
        ArtifactPaths = [$"{Output}/summary.json", $"{Output}/bundle/*.manifest.xml"],
    };
}
