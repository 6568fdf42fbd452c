using Amazon.EC2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SecurityToken;
using Amazon.SimpleSystemsManagement;
using ImagePipeline.LocalCloud;

namespace ImagePipeline.Testing;

/// <summary>The real SDK clients for a local cloud, configured the way the pipeline configures them for a custom endpoint.</summary>
public static class LocalCloudClients
{
    public static BasicAWSCredentials Credentials(bool otherAccount = false) => otherAccount
        ? new BasicAWSCredentials(LocalCloudAccounts.OtherAccessKeyId, LocalCloudAccounts.OtherSecretAccessKey)
        : new BasicAWSCredentials(LocalCloudAccounts.AccessKeyId, LocalCloudAccounts.SecretAccessKey);

    public static AmazonS3Client S3(Uri endpoint, string region, bool otherAccount = false, Action<AmazonS3Config>? configure = null)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = 2,
        };
        configure?.Invoke(config);
        return new AmazonS3Client(Credentials(otherAccount), config);
    }

    public static AmazonEC2Client Ec2(Uri endpoint, string region, bool otherAccount = false) =>
        new(Credentials(otherAccount), new AmazonEC2Config
        {
            ServiceURL = endpoint.ToString(),
            AuthenticationRegion = region,
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = 2,
        });

    public static AmazonSecurityTokenServiceClient Sts(Uri endpoint, string region, AWSCredentials? credentials = null) =>
        new(credentials ?? Credentials(), new AmazonSecurityTokenServiceConfig
        {
            ServiceURL = endpoint.ToString(),
            AuthenticationRegion = region,
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = 2,
        });

    public static AmazonSimpleSystemsManagementClient Ssm(Uri endpoint, string region) =>
        new(Credentials(), new AmazonSimpleSystemsManagementConfig
        {
            ServiceURL = endpoint.ToString(),
            AuthenticationRegion = region,
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = 2,
        });
}
