using Amazon.EC2.Model;
using ImagePipeline.Core.Engine;
using ImagePipeline.LocalCloud;
using ImagePipeline.Strategies.Ebs;
using ImagePipeline.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ImagePipeline.Instances.Tests.Launching;

/// <summary>An EBS bake from a base image through the real session, engine and SDK clients against the fixture's local cloud.</summary>
public sealed class LaunchBake : IAsyncDisposable
{
    private readonly Dictionary<string, string> _parameters;

    public LaunchBake(PipelineCloudFixture cloud, string platform = "linux", Action<IServiceCollection>? services = null)
    {
        Cloud = cloud;
        Harness = new PipelineHarness(cloud.Endpoint, [new EbsPlugin()], LocalCloudAccounts.AccessKeyId, LocalCloudAccounts.SecretAccessKey)
        {
            TimeProvider = cloud.Time,
            ConfigureServices = services,
        };
        ImageName = $"launch-test-{Guid.NewGuid():N}";
        _parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["backing-store"] = "ebs",
            ["platform"] = platform,
            ["region"] = PipelineCloudFixture.HomeRegion,
            ["ami-name"] = ImageName,
            ["poll-delay"] = "0.2",
            ["max-wait"] = "60",
        };
    }

    public PipelineCloudFixture Cloud { get; }

    public PipelineHarness Harness { get; }

    public string ImageName { get; }

    /// <summary>The provisioning script a test gave, to change between a failed run and its resume.</summary>
    public string ScriptPath { get; init; } = string.Empty;

    public string Logs => Harness.Logs.Text;

    public LaunchBake With(string name, string value)
    {
        _parameters[name] = value;
        return this;
    }

    public LaunchBake Without(string name)
    {
        _parameters.Remove(name);
        return this;
    }

    public Task<RunResult> RunAsync(string target = "RegisterImage") => Harness.RunAsync(target, _parameters);

    public Task<RunResult> RunAsync(CancellationToken cancellationToken) => Harness.RunAsync("RegisterImage", _parameters, cancellationToken: cancellationToken);

    public Task<RunResult> ResumeAsync(string runId, string target = "RegisterImage") => Harness.RunAsync(target, _parameters, resume: runId);

    /// <summary>Every instance of the account in the home region, with its state, as DescribeInstances shows it.</summary>
    public async Task<IReadOnlyList<Instance>> InstancesAsync()
    {
        using var ec2 = Cloud.Ec2();
        var response = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest());
        return (response.Reservations ?? []).SelectMany(reservation => reservation.Instances ?? []).ToList();
    }

    /// <summary>An available image of the account named <paramref name="name"/>, captured from a fresh instance, to launch from.</summary>
    public static async Task<string> CreateBaseImageAsync(PipelineCloudFixture cloud, string name)
    {
        using var ec2 = cloud.Ec2();
        var imageId = (await ec2.CreateImageAsync(new CreateImageRequest { InstanceId = cloud.NewInstance(), Name = name, NoReboot = true })).ImageId;
        cloud.Clock.Advance(cloud.ImageAvailableDelay + TimeSpan.FromSeconds(1));
        return imageId;
    }

    public ValueTask DisposeAsync() => Harness.DisposeAsync();
}
