using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Aws;

/// <summary>Finds credentials through the SDK's default chain (or a named profile) and says what it tried when there are none.</summary>
public static class AwsCredentialsResolver
{
    public const string WhatTheChainTries =
        "environment variables (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, with AWS_SESSION_TOKEN), the shared profile (AWS_PROFILE or 'default' in ~/.aws/credentials and ~/.aws/config, SSO profiles included), "
        + "web identity (AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN, as GitHub Actions OIDC sets them), the container credentials endpoint and EC2 instance metadata";

    public static AWSCredentials Resolve(string? profile)
    {
        if (profile is not null)
        {
            var chain = new CredentialProfileStoreChain();
            if (chain.TryGetAWSCredentials(profile, out var fromProfile))
            {
                return fromProfile;
            }

            throw PipelineException.Input(
                $"AWS profile '{profile}' was not found in ~/.aws/credentials or ~/.aws/config; check --aws-profile (or AWS_PROFILE), or run 'aws configure --profile {profile}'.");
        }

        try
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials();
        }
        catch (AmazonClientException exception)
        {
            throw PipelineException.Input(
                $"No AWS credentials were found for --cloud aws. Tried: {WhatTheChainTries}. Set one of them up, or use --cloud local to bake against the local cloud.", exception);
        }
    }
}
