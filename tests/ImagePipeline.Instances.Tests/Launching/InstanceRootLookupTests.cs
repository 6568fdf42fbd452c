using Amazon.Runtime;
using ImagePipeline.Abstractions;
using ImagePipeline.Aws;
using ImagePipeline.Core.Parameters;
using ImagePipeline.Core.Planning;
using ImagePipeline.Instances.Launching;
using ImagePipeline.LocalCloud;
using ImagePipeline.Testing;

namespace ImagePipeline.Instances.Tests.Launching;

/// <summary>The root device the host plans the capture for, read from the local cloud as a run reads AWS.</summary>
public sealed class InstanceRootLookupTests(PipelineCloudFixture cloud) : IClassFixture<PipelineCloudFixture>, IDisposable
{
    private readonly AwsCloudClients _clients = new(new AwsCloudSettings
    {
        Region = PipelineCloudFixture.HomeRegion,
        Credentials = new BasicAWSCredentials(LocalCloudAccounts.AccessKeyId, LocalCloudAccounts.SecretAccessKey),
        ServiceUrl = cloud.Endpoint,
        MaxAttempts = 1,
    });

    [Theory]
    [InlineData("--source-ami " + LocalCloudSeedIds.LinuxInstanceStoreImageId, InstanceRoot.InstanceStore)]
    [InlineData("--source-ami " + LocalCloudSeedIds.LinuxEbsImageId, InstanceRoot.Ebs)]
    [InlineData("--source-ami-filter name=amzn-ami-hvm-*-s3,owner=amazon", InstanceRoot.InstanceStore)]
    [InlineData("--instance-id " + LocalCloudSeedIds.LinuxInstanceStoreInstanceId, InstanceRoot.InstanceStore)]
    [InlineData("--instance-id " + LocalCloudSeedIds.LinuxEbsInstanceId, InstanceRoot.Ebs)]
    public async Task The_root_is_the_base_image_s_or_the_given_instance_s(string arguments, InstanceRoot expected)
    {
        var root = await Lookup().FindAsync(Parameters(arguments), resumedState: null, CancellationToken.None);

        root.Should().Be(expected);
    }

    [Theory]
    [InlineData("--source-ami ami-0fffffffffffffff0")]
    [InlineData("--instance-id i-0fffffffffffffff0")]
    [InlineData("--instance-host 10.0.0.7")]
    public async Task A_source_the_cloud_does_not_know_has_no_root_and_validation_says_why(string arguments)
    {
        var root = await Lookup().FindAsync(Parameters(arguments), resumedState: null, CancellationToken.None);

        root.Should().BeNull();
    }

    [Fact]
    public async Task A_resumed_run_keeps_the_root_of_the_image_it_launched_from()
    {
        var state = new RunState();
        state.Set(LaunchState.SourceImage, new SourceImage(LocalCloudSeedIds.LinuxInstanceStoreImageId, "recorded", "x86_64", "instance-store", IsWindows: false));

        var root = await Lookup().FindAsync(Parameters("--source-ami " + LocalCloudSeedIds.LinuxEbsImageId), state, CancellationToken.None);

        root.Should().Be(InstanceRoot.InstanceStore, "the instance launched before the crash is the one the resumed run captures");
    }

    public void Dispose() => _clients.Dispose();

    private InstanceRootLookup Lookup() => new(new SourceImages(_clients), _clients);

    private static ResolvedParameters Parameters(string arguments)
    {
        var catalog = new ParameterCatalog([.. HostParameters.All, .. PipelineTargets.HostPlannedParameters, CommonParameters.BackingStore, CommonParameters.Platform, CommonParameters.InstanceId, CommonParameters.InstanceHost]);
        var resolved = ParameterResolver.Resolve(catalog, new ParameterInputs(CommandLine.Parse(arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)), new Dictionary<string, string>(), null, null));
        resolved.Errors.Should().BeEmpty();
        return resolved;
    }
}
