using Amazon.Runtime;

namespace ImagePipeline.Aws;

/// <summary>How the run's SDK clients are built: region, credentials, endpoint and retries.</summary>
public sealed record AwsCloudSettings
{
    public required string Region { get; init; }

    public required AWSCredentials Credentials { get; init; }

    /// <summary>An endpoint for every service (local cloud, LocalStack, moto), or null for AWS's own endpoints.</summary>
    public Uri? ServiceUrl { get; init; }

    public int MaxAttempts { get; init; } = 8;

    public AwsRetryMode RetryMode { get; init; } = AwsRetryMode.Standard;

    /// <summary>How long one HTTP call may take before the SDK gives up on it and retries.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
