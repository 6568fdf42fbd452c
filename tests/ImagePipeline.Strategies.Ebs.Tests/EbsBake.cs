using ImagePipeline.Core.Engine;
using ImagePipeline.LocalCloud;
using ImagePipeline.Testing;

namespace ImagePipeline.Strategies.Ebs.Tests;

/// <summary>Runs the EBS strategies through the real session against the fixture's local cloud, with test-friendly defaults.</summary>
public sealed class EbsBake : IAsyncDisposable
{
    private readonly Dictionary<string, string> _parameters;

    public EbsBake(PipelineCloudFixture cloud, string instanceId, string platform = "linux")
    {
        Harness = new PipelineHarness(cloud.Endpoint, [new EbsPlugin()], LocalCloudAccounts.AccessKeyId, LocalCloudAccounts.SecretAccessKey) { TimeProvider = cloud.Time };
        ImageName = $"ebs-test-{Guid.NewGuid():N}";
        _parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["backing-store"] = "ebs",
            ["platform"] = platform,
            ["region"] = PipelineCloudFixture.HomeRegion,
            ["instance-id"] = instanceId,
            ["ami-name"] = ImageName,
            ["poll-delay"] = "0.2",
            ["max-wait"] = "30",
        };
    }

    public PipelineHarness Harness { get; }

    public string ImageName { get; }

    public string Logs => Harness.Logs.Text;

    public EbsBake With(string name, string value)
    {
        _parameters[name] = value;
        return this;
    }

    public EbsBake Without(string name)
    {
        _parameters.Remove(name);
        return this;
    }

    public Task<RunResult> RunAsync(string target = "RegisterImage") => Harness.RunAsync(target, _parameters);

    public Task<RunResult> ResumeAsync(string runId, string target = "RegisterImage") => Harness.RunAsync(target, _parameters, resume: runId);

    public ValueTask DisposeAsync() => Harness.DisposeAsync();
}
