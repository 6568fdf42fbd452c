namespace ImagePipeline.LocalCloud.Tests;

public sealed class ConsoleEntryTests
{
    [Fact]
    public async Task Run_until_cancelled_prints_the_endpoint_and_stops_when_cancelled()
    {
        var directory = Path.Combine(Path.GetTempPath(), "localcloud-console-" + Guid.NewGuid().ToString("N"));
        using var output = new StringWriter();
        using var cancellation = new CancellationTokenSource();

        var run = LocalCloudServer.RunUntilCancelledAsync(new LocalCloudOptions { DataDirectory = directory }, output, cancellation.Token);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!output.ToString().Contains("listening on", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await cancellation.CancelAsync();
        await run;

        output.ToString().Should().MatchRegex(@"Local cloud listening on http://127\.0\.0\.1:\d+/");
        output.ToString().Should().Contain(LocalCloudAccounts.AccessKeyId);
    }

    [Theory]
    [InlineData("--instance-ssh-address", "not-an-address")]
    [InlineData("--instance-ssh-address")]
    [InlineData("--authorized-keys-file")]
    public async Task A_launch_option_without_a_valid_value_is_a_usage_error(params string[] option)
    {
        var exitCode = await Program.Main(["--state-dir", Path.GetTempPath(), .. option]);

        exitCode.Should().Be(2);
    }
}
