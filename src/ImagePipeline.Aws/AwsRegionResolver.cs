using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Aws;

/// <summary>Finds the region when <c>--region</c> is not given: AWS_REGION, the profile's region, then the SDK's own fallbacks.</summary>
public static class AwsRegionResolver
{
    public static string Resolve(string? profile)
    {
        if (profile is not null && new CredentialProfileStoreChain().TryGetProfile(profile, out var stored) && stored.Region is not null)
        {
            return stored.Region.SystemName;
        }

        var region = FallbackRegionFactory.GetRegionEndpoint();
        return region?.SystemName
            ?? throw PipelineException.Input("No AWS region is set: pass --region (for example --region eu-west-1), set AWS_REGION, or add region to your AWS profile.");
    }
}
