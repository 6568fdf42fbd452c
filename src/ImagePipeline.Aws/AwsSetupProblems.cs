using ImagePipeline.Abstractions;

namespace ImagePipeline.Aws;

/// <summary>
/// What --cloud aws needs before any call: credentials and a region. Both are looked for every time, so a missing
/// region is reported with missing credentials, not on the next try.
/// </summary>
public static class AwsSetupProblems
{
    public static IReadOnlyList<string> Find(string? profile, string? region)
    {
        var problems = new List<string>();
        try
        {
            AwsCredentialsResolver.Resolve(profile);
        }
        catch (PipelineException exception)
        {
            problems.Add(exception.Message);
        }

        if (region is null)
        {
            try
            {
                AwsRegionResolver.Resolve(profile);
            }
            catch (PipelineException exception)
            {
                problems.Add(exception.Message);
            }
        }

        return problems;
    }
}
