using System.Net;
using System.Net.Sockets;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using ImagePipeline.Host;
using ImagePipeline.LocalCloud;

namespace ImagePipeline.Build.Tests;

public sealed class LocalCloudTargetTests : IDisposable
{
    private readonly HostSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task The_local_cloud_target_serves_the_aws_sdk_on_the_given_port_until_ctrl_c()
    {
        var port = FreePort();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var output = new SignalOnText("listening");

        var host = _sandbox.RunAsync(output, ["LocalCloud", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], cancellation.Token);
        await output.Seen.WaitAsync(TimeSpan.FromMinutes(1));
        using var ec2 = new AmazonEC2Client(
            new BasicAWSCredentials(LocalCloudAccounts.AccessKeyId, LocalCloudAccounts.SecretAccessKey),
            new AmazonEC2Config { ServiceURL = $"http://127.0.0.1:{port}/", AuthenticationRegion = "eu-west-1" });
        var regions = await ec2.DescribeRegionsAsync(new DescribeRegionsRequest());
        await cancellation.CancelAsync();
        var run = await host;

        regions.Regions.Should().Contain(region => region.RegionName == "eu-west-1");
        run.ExitCode.Should().Be(ExitCode.Success, run.All);
        run.Output.Should().Contain($"127.0.0.1:{port}").And.Contain("Local cloud stopped");
        Directory.Exists(Path.Combine(_sandbox.Root, ".nuke", "temp", "localcloud")).Should().BeTrue("its state is kept for the next start");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A console that completes a task once a given text is printed.</summary>
    private sealed class SignalOnText(string trigger) : StringWriter
    {
        private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Seen => _seen.Task;

        public override void WriteLine(string? value)
        {
            lock (this)
            {
                base.WriteLine(value);
            }

            if (value?.Contains(trigger, StringComparison.Ordinal) == true)
            {
                _seen.TrySetResult();
            }
        }
    }
}
