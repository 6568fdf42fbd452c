namespace ImagePipeline.Aws;

/// <summary>The SDK's retry modes (standard: exponential backoff with jitter; adaptive: also rate-limits the client).</summary>
public enum AwsRetryMode
{
    Standard,
    Adaptive,
}
