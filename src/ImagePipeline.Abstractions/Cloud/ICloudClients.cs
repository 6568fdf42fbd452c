using Amazon.EC2;
using Amazon.S3;
using Amazon.SimpleSystemsManagement;

namespace ImagePipeline.Abstractions;

/// <summary>
/// The run's AWS SDK clients, configured once by the host (region, credentials, endpoint, retries). Whether they talk to
/// AWS or to the local cloud is the host's business; steps just use them.
/// </summary>
public interface ICloudClients
{
    /// <summary>The run's region.</summary>
    string Region { get; }

    /// <summary>True when the clients point at the local cloud (or another endpoint set with <c>--endpoint-url</c>).</summary>
    bool UsesCustomEndpoint { get; }

    IAmazonEC2 Ec2(string? region = null);

    IAmazonS3 S3(string? region = null);

    /// <summary>
    /// An S3 client whose calls the SDK does not retry, for bulk transfers that a step retries itself, part by part,
    /// with <see cref="TransientFailureRetry"/> (so a call has one retry layer, never two). An implementation without
    /// such a client returns <see cref="S3"/>'s.
    /// </summary>
    IAmazonS3 S3ForTransfers(string? region = null) => S3(region);

    IAmazonSimpleSystemsManagement Ssm(string? region = null);

    /// <summary>The account and principal the credentials belong to (STS GetCallerIdentity), cached for the run.</summary>
    Task<CallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Signs an S3 upload policy (for BundleInstance) with the caller's secret key, which never leaves the host.
    /// Throws a <see cref="PipelineException"/> when the credentials cannot sign one (temporary credentials).
    /// </summary>
    Task<SignedUploadPolicy> SignUploadPolicyAsync(string policyJson, CancellationToken cancellationToken);
}
