using System.Diagnostics;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using ImagePipeline.Host;
using ImagePipeline.LocalCloud;

namespace ImagePipeline.Build.Tests;

/// <summary>Issue 12, item 5: host processes running at the same time in one work tree.</summary>
public sealed class ConcurrentRunsTests : IDisposable
{
    private readonly HostSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Two_demo_bakes_in_parallel_processes_both_succeed_and_both_images_and_bundles_stay_in_the_saved_state()
    {
        // Names of their own: the demo's default name has one-second resolution, and AMI names are unique per account.
        using var first = StartHost("RegisterImage", "--poll-delay", "0.2", "--ami-name", "parallel-demo-one");
        using var second = StartHost("RegisterImage", "--poll-delay", "0.2", "--ami-name", "parallel-demo-two");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var outputs = await Task.WhenAll(FinishAsync(first, timeout.Token), FinishAsync(second, timeout.Token));

        first.ExitCode.Should().Be(ExitCode.Success, outputs[0]);
        second.ExitCode.Should().Be(ExitCode.Success, outputs[1]);

        // A third server on the same state directory sees everything both hosts' servers saved.
        await using var cloud = await LocalCloudServer.StartAsync(new LocalCloudOptions { DataDirectory = Path.Combine(_sandbox.Root, ".nuke", "temp", "localcloud") });
        using var ec2 = new AmazonEC2Client(
            new BasicAWSCredentials(LocalCloudAccounts.AccessKeyId, LocalCloudAccounts.SecretAccessKey),
            new AmazonEC2Config { ServiceURL = cloud.Endpoint.ToString(), AuthenticationRegion = "us-east-1" });
        var images = (await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"] })).Images;
        images.Should().HaveCount(2);
        images.Select(image => image.ImageLocation).Should().OnlyHaveUniqueItems("each run has a bundle of its own");
        var bucket = cloud.GetState().Buckets.Should().ContainKey("imagepipeline-demo-bundles").WhoseValue;
        foreach (var image in images)
        {
            bucket.Objects.Should().ContainKey(image.ImageLocation["imagepipeline-demo-bundles/".Length..]);
        }
    }

    private Process StartHost(params string[] args)
    {
        var hostDll = Path.Combine(Path.GetDirectoryName(HostSandbox.PluginsFolder)!, "_build.dll");
        var start = new ProcessStartInfo("dotnet", [hostDll, .. args])
        {
            WorkingDirectory = _sandbox.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.WorkingDirectory = _sandbox.Root;
        return Process.Start(start)!;
    }

    private static async Task<string> FinishAsync(Process process, CancellationToken cancellationToken)
    {
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return await output + await error;
    }
}
