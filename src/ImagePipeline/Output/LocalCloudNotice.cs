namespace ImagePipeline.Output;

/// <summary>
/// How a run against the local cloud says so everywhere its result is read, so that an image id that exists only on
/// this machine is never mistaken for an AWS one: the header, the summary line, --output-json and the job summary.
/// </summary>
internal static class LocalCloudNotice
{
    /// <summary>Parameters that name the user's own resources: given without --cloud, they suggest a run meant for AWS.</summary>
    public static readonly IReadOnlyList<string> RealInputs =
        ["instance-id", "instance-host", "image-file", "bucket", "region", "x509-cert-path", "x509-key-path", "ec2-cert-path", "account-id", "aws-profile"];

    public static string GitHubActionsNeedsCloud =>
        "Inside GitHub Actions --cloud must be given: pass --cloud aws to bake in your AWS account, or --cloud local for the project's local cloud.";

    public static string Warning(IEnumerable<string> given) =>
        $"warning: --cloud is not given, so this run uses the LOCAL CLOUD on this machine, not AWS, although --{string.Join(", --", given)} "
        + "name real resources: what it makes exists only here. Pass --cloud aws to bake in your AWS account (or --cloud local to say this is meant).";

    /// <summary>Where the run goes, in the header line.</summary>
    public static string Header(Uri? endpoint) => $"the LOCAL CLOUD at {endpoint}, not AWS";

    /// <summary>Follows "succeeded" in the summary line and the job summary.</summary>
    public static string Suffix(bool isLocal) => isLocal ? " in the LOCAL CLOUD, not in AWS" : string.Empty;
}
