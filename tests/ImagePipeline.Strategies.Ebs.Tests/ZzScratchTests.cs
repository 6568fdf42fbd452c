using ImagePipeline.LocalCloud.Faults;

namespace ImagePipeline.Strategies.Ebs.Tests;

public sealed class ZzScratchTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task Scratch()
    {
        await using var bake = new EbsBake(cloud, cloud.NewInstance()).With("copy-to-regions", "us-west-2").With("tags", "a=b").With("max-attempts", "1");
        var result = await bake.RunAsync();
        cloud.Server.Faults.Add(new FaultRule { Service = "ec2", Operation = "CopyImage", Kind = FaultKind.InternalError, MaxInjections = 1 });
        await using var bake2 = new EbsBake(cloud, cloud.NewInstance()).With("copy-to-regions", "us-west-2").With("tags", "a=b").With("max-attempts", "1");
        var result2 = await bake2.RunAsync();
        await File.WriteAllTextAsync("/tmp/ebs-scratch.txt", bake.Logs + "\n\n=====FAIL\n" + result2.Failure?.Message + "\n" + bake2.Logs + "\n" + string.Join("\n", bake2.Harness.Observer.Events) + "\n" + string.Join("\n", bake.Harness.Progress.Activities));
    }
}
