using Amazon.EC2;
using Amazon.S3;
using Amazon.SimpleSystemsManagement;
using ImagePipeline.Abstractions;
using ImagePipeline.Aws;

namespace ImagePipeline.Build.Tests;

/// <summary>S3 from one server (a third-party S3), EC2, STS and SSM from another (the local cloud).</summary>
public sealed class SplitCloudClients(AwsCloudClients storage, AwsCloudClients compute) : ICloudClients
{
    public string Region => compute.Region;

    public bool UsesCustomEndpoint => true;

    public IAmazonEC2 Ec2(string? region = null) => compute.Ec2(region);

    public IAmazonS3 S3(string? region = null) => storage.S3(region);

    public IAmazonSimpleSystemsManagement Ssm(string? region = null) => compute.Ssm(region);

    public Task<CallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken) => compute.GetCallerIdentityAsync(cancellationToken);

    public Task<SignedUploadPolicy> SignUploadPolicyAsync(string policyJson, CancellationToken cancellationToken) => compute.SignUploadPolicyAsync(policyJson, cancellationToken);
}
