using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Amazon;
using Amazon.EC2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Amazon.SimpleSystemsManagement;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Aws;

/// <summary>
/// The run's SDK clients, one per service and region, built from <see cref="AwsCloudSettings"/>. S3 requests
/// checksums only when an operation requires them (so S3-compatible servers that do not understand trailing checksums
/// work), and uses path-style addressing whenever a custom endpoint is set. The SDK's retries are configured here, the
/// one place: the retry mode (<c>--retry-mode</c>), the attempts (<c>--max-attempts</c>) and retry throttling (on: when
/// most calls fail, the SDK stops retrying rather than pile on). The transfer client's calls are not retried by the SDK:
/// the step retries each part itself (<c>--upload-attempts</c>), and one layer of retries is enough.
/// </summary>
public sealed class AwsCloudClients(AwsCloudSettings settings) : ICloudClients, IDisposable
{
    private readonly ConcurrentDictionary<string, IAmazonEC2> _ec2 = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IAmazonS3> _s3 = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IAmazonS3> _s3Transfers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IAmazonSimpleSystemsManagement> _ssm = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _identityGate = new(1, 1);
    private CallerIdentity? _identity;

    public string Region => settings.Region;

    public bool UsesCustomEndpoint => settings.ServiceUrl is not null;

    public AwsCloudSettings Settings => settings;

    public IAmazonEC2 Ec2(string? region = null) =>
        _ec2.GetOrAdd(region ?? settings.Region, r => new AmazonEC2Client(settings.Credentials, Configure(new AmazonEC2Config(), r)));

    public IAmazonS3 S3(string? region = null) =>
        _s3.GetOrAdd(region ?? settings.Region, r => new AmazonS3Client(settings.Credentials, S3Config(r)));

    public IAmazonS3 S3ForTransfers(string? region = null) =>
        _s3Transfers.GetOrAdd(region ?? settings.Region, r =>
        {
            var config = S3Config(r);
            config.MaxErrorRetry = 0;
            return new AmazonS3Client(settings.Credentials, config);
        });

    public IAmazonSimpleSystemsManagement Ssm(string? region = null) =>
        _ssm.GetOrAdd(region ?? settings.Region, r => new AmazonSimpleSystemsManagementClient(settings.Credentials, Configure(new AmazonSimpleSystemsManagementConfig(), r)));

    public async Task<CallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken)
    {
        await _identityGate.WaitAsync(cancellationToken);
        try
        {
            if (_identity is null)
            {
                using var sts = new AmazonSecurityTokenServiceClient(settings.Credentials, Configure(new AmazonSecurityTokenServiceConfig(), settings.Region));
                var response = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken);
                _identity = new CallerIdentity(response.Account, response.Arn);
            }

            return _identity;
        }
        finally
        {
            _identityGate.Release();
        }
    }

    public async Task<SignedUploadPolicy> SignUploadPolicyAsync(string policyJson, CancellationToken cancellationToken)
    {
        var credentials = await settings.Credentials.GetCredentialsAsync();
        if (!string.IsNullOrEmpty(credentials.Token))
        {
            throw PipelineException.Input(
                "BundleInstance needs an S3 upload policy signed with a long-term secret key, and these credentials are temporary (they carry a session token): "
                + "run with an IAM user's access key, or bake an EBS-backed Windows image instead (--backing-store ebs).");
        }

        var policyBase64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(policyJson));
        var signature = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(credentials.SecretKey), Encoding.UTF8.GetBytes(policyBase64)));
        return new SignedUploadPolicy(credentials.AccessKey, policyBase64, signature);
    }

    public void Dispose()
    {
        foreach (var client in _ec2.Values.Cast<IDisposable>().Concat(_s3.Values).Concat(_s3Transfers.Values).Concat(_ssm.Values))
        {
            client.Dispose();
        }

        _identityGate.Dispose();
    }

    private AmazonS3Config S3Config(string region)
    {
        var config = Configure(new AmazonS3Config(), region);
        config.ForcePathStyle = settings.ServiceUrl is not null;
        config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
        config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        return config;
    }

    private TConfig Configure<TConfig>(TConfig config, string region)
        where TConfig : ClientConfig
    {
        if (settings.ServiceUrl is not null)
        {
            config.ServiceURL = settings.ServiceUrl.ToString();
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        config.RetryMode = settings.RetryMode == AwsRetryMode.Adaptive ? RequestRetryMode.Adaptive : RequestRetryMode.Standard;
        config.MaxErrorRetry = settings.MaxAttempts - 1;
        config.ThrottleRetries = true;
        config.Timeout = settings.RequestTimeout;
        return config;
    }
}
