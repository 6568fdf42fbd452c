using ImagePipeline.Abstractions;

namespace ImagePipeline.Aws;

/// <summary>Parameters of the AWS wiring.</summary>
public static class AwsParameters
{
    public static readonly Parameter<CloudKind> Cloud = new(
        "cloud", "local: the project's own cloud on 127.0.0.1, no account needed; aws: your AWS account through the SDK's credential chain.")
    { Default = CloudKind.Local };

    public static readonly Parameter<string> EndpointUrl = new(
        "endpoint-url", "Send every AWS call to this endpoint (LocalStack, moto, any S3/EC2-compatible server; S3 then uses path-style addressing).",
        value => Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? null
            : $"--endpoint-url '{value}' is not an http(s) URL.")
    { FallbackEnvironmentVariables = ["AWS_ENDPOINT_URL"] };

    public static readonly Parameter<string> Profile = new(
        "aws-profile", "The shared-config profile for credentials and region (~/.aws/config), including SSO profiles.")
    { FallbackEnvironmentVariables = ["AWS_PROFILE"] };

    public static readonly Parameter<int> MaxAttempts = new(
        "max-attempts", "How many times the SDK tries a call that was throttled, failed with a 5xx or lost its connection.",
        value => value < 1 ? "--max-attempts must be at least 1." : null)
    { Default = 8, FallbackEnvironmentVariables = ["AWS_MAX_ATTEMPTS"] };

    public static readonly Parameter<AwsRetryMode> RetryMode = new(
        "retry-mode", "The SDK's retry mode.")
    { Default = AwsRetryMode.Standard };

    public static readonly Parameter<bool> LocalCloudReset = new(
        "local-cloud-reset", "Clear the local cloud's saved state (buckets, images, instances) before the run.")
    { Default = false };

    public static IReadOnlyList<ParameterDefinition> All { get; } =
        [Cloud, CommonParameters.Region, EndpointUrl, Profile, MaxAttempts, RetryMode, LocalCloudReset, CommonParameters.PollDelay, CommonParameters.MaxWait];
}
